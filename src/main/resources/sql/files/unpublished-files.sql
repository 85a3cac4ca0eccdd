-- Decided files whose FileProcessed is not yet on Kafka this long after the decision.
select file_id from files
 where outcome_id is not null and outcome_published_at is null
   and updated_at < now() - make_interval(secs => :?afterSeconds)
 order by updated_at
 limit 100
