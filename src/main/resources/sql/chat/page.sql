-- A page of a chat's messages, newest first, never BLOCKED ones: before a seq (keyset), matching a
-- web-search query with English stemming when one is given.
select message_id, seq, sender_id, body, sent_at, verdict, rule
  from chat_messages
 where chat_id = :?chatId
   and verdict <> 'BLOCKED'
   and (cast(:?before as bigint) is null or seq < cast(:?before as bigint))
   and (cast(:?q as text) is null or search @@ websearch_to_tsquery('english', cast(:?q as text)))
 order by seq desc
 limit :?limit
