-- Verdicts committed but not yet published, older than the relay's wait.
select message_id from chat_messages
 where published_at is null and moderated_at < now() - cast(:?ageMillis as bigint) * interval '1 millisecond'
 order by chat_id, seq
 limit 100
