-- A file just stored, PENDING until its tasks are reported or its deadline passes.
insert into files (file_id, name, content_type, size, sha256, storage_key, deadline)
values (:?fileId, :?name, :?contentType, :?size, :?sha256, :?storageKey, now() + make_interval(secs => :?timeoutSeconds))
