-- A chat's messages after a seq, oldest first, never BLOCKED ones: what a live connection missed.
select message_id, seq, sender_id, body, sent_at, verdict, rule
  from chat_messages
 where chat_id = :?chatId and seq > :?after and seq <= :?upTo and verdict <> 'BLOCKED'
 order by seq
 limit :?limit
