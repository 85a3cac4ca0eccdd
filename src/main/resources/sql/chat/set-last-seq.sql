-- The chat's last message number, after a message was stored.
update chats set last_seq = :?seq where chat_id = :?chatId
