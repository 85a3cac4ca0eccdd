-- The inbox row, in the same transaction as the effect: one row means the event is new.
insert into inbox (service, event_id) values ('inventory', :?eventId)
on conflict do nothing
