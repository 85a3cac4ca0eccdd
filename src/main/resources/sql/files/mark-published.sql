update files set outcome_published_at = now() where file_id = :?fileId and outcome_published_at is null
