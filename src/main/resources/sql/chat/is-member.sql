-- Whether the user is a member of the chat.
select count(*) from chat_members where chat_id = :?chatId and user_id = :?userId
