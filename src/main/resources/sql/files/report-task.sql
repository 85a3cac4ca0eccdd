-- A task's first report; a task already reported is left as it was.
update file_tasks set status = :?status, result = cast(:?result as jsonb), error = :?error, reported_at = now()
 where file_id = :?fileId and task = :?task and status = 'REQUESTED'
