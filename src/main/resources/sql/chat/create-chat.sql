-- A chat's row, made by its first message (one row inserted: the chat is new).
insert into chats (chat_id) values (:?chatId) on conflict do nothing
