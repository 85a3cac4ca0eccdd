select task, status, result::text as result, error, reported_at from file_tasks where file_id = :?fileId order by task
