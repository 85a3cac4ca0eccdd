-- The message with its verdict, once per messageId (a second event for the same message adds no row).
insert into chat_messages (message_id, chat_id, seq, sender_id, recipient_ids, body, sent_at,
                           verdict, rule, source, event_id)
values (:?messageId, :?chatId, :?seq, :?senderId, string_to_array(:?recipients, ','), :?body,
        cast(:?sentAt as timestamptz), :?verdict, :?rule, :?source, :?eventId)
on conflict (message_id) do nothing
