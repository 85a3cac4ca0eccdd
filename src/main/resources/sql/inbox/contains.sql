-- Whether the service handled the event (source, id) already; a row from before sources were
-- recorded counts for the same id from any source (V5__event_identity.sql).
select count(*) from inbox
 where service = :?service and event_id = :?eventId
   and source in (:?source, 'urn:eventhub:legacy-unknown-source')
