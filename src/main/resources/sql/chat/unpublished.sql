-- The relay's claim: verdicts committed but not yet published, older than the relay's wait,
-- leased to this instance (rows another instance holds or leased are skipped); times on the
-- database clock. Returned in the chat's order.
with claimed as (
  update chat_messages
     set relay_lease_until = now() + :?leaseMs * interval '1 millisecond'
   where message_id in (select message_id from chat_messages
                         where published_at is null
                           and moderated_at < now() - :?ageMillis * interval '1 millisecond'
                           and (relay_lease_until is null or relay_lease_until < now())
                         order by chat_id, seq
                         limit 100
                           for update skip locked)
  returning message_id, chat_id, seq)
select message_id from claimed order by chat_id, seq
