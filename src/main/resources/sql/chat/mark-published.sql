-- The message's verdict event is on chat.events.
update chat_messages set published_at = now() where message_id = :?messageId and published_at is null
