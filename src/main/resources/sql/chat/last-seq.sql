-- The chat's last message number (0 for a chat without messages).
select coalesce((select last_seq from chats where chat_id = :?chatId), 0)
