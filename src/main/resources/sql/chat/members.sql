-- The members of a chat.
select user_id from chat_members where chat_id = :?chatId order by user_id
