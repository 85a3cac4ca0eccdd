-- A stored message and its verdict, by its messageId.
select message_id, chat_id, seq, sender_id, recipient_ids, body, sent_at, verdict, rule, published_at
  from chat_messages where message_id = :?messageId
