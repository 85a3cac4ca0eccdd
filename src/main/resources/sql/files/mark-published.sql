-- The file's FileProcessed is on files.events.
update files set outcome_published_at = now(), relay_lease_until = null
 where file_id = :?fileId and outcome_published_at is null
