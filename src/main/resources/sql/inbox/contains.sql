-- Whether the service handled the event already.
select count(*) from inbox where service = :?service and event_id = :?eventId
