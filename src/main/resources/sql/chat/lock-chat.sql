-- The chat's last message number, its row locked until the transaction ends: one chat's messages
-- are numbered one at a time, whichever instance moderates them.
select last_seq from chats where chat_id = :?chatId for update
