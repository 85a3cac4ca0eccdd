-- The inbox row of an event for a service, in the same transaction as the event's effect: one row
-- inserted means the event is new for the service. Every path claims an event with this file
-- (the inventory routes, the order saga, the idempotent consumers' InboxRepository).
insert into inbox (service, event_id) values (:?service, :?eventId)
on conflict do nothing
