-- The file's final status and the FileProcessed to publish; only a PENDING file is decided.
update files set status = :?status, reason = :?reason, completions = completions + 1,
       outcome_id = :?outcomeId, outcome_data = cast(:?outcomeData as jsonb), updated_at = now()
 where file_id = :?fileId and status = 'PENDING'
