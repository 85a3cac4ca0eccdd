-- Decisions committed but not yet published, older than the relay's wait.
select order_id from orders
 where outcome_id is not null and outcome_published_at is null and updated_at < :?before
 limit 100
