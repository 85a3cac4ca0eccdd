-- Forget the event (the idempotent consumer does this when the route failed).
delete from inbox where service = :?service and source = :?source and event_id = :?eventId
