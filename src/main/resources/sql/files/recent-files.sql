-- The newest files, of one status or all (a null status).
select file_id, name, content_type, size, status, reason, uploaded_at, updated_at from files
 where (cast(:?status as text) is null or status = :?status)
 order by uploaded_at desc
 limit :?limit
