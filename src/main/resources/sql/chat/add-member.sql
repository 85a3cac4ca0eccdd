-- A member of a chat (its first message's sender and recipients).
insert into chat_members (chat_id, user_id) values (:?chatId, :?userId) on conflict do nothing
