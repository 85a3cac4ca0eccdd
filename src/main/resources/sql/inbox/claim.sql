-- The inbox row of an event for a service, in the same transaction as the event's effect: one row
-- inserted means the event is new for the service. An event is its (source, id); a row from before
-- sources were recorded (V5__event_identity.sql) counts for the same id from any source. Every path
-- claims an event with this file (the inventory routes, the order saga, the InboxRepository).
insert into inbox (service, source, event_id)
select :?service, :?source, :?eventId
 where not exists (select 1 from inbox
                    where service = :?service and event_id = :?eventId
                      and source = 'urn:eventhub:legacy-unknown-source')
on conflict do nothing
