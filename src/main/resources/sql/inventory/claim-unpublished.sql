-- The relay's claim: decisions committed but not on Kafka, older than the relay's wait, leased to
-- this instance (rows another instance holds or leased are skipped); times on the database clock.
update inventory_orders
   set relay_lease_until = now() + :?leaseMs * interval '1 millisecond'
 where order_id in (select order_id from inventory_orders
                     where result_event_id is not null and result_published_at is null
                       and decided_at < now() - :?afterMs * interval '1 millisecond'
                       and (relay_lease_until is null or relay_lease_until < now())
                     order by decided_at
                     limit 100
                       for update skip locked)
returning order_id, status, reason, result_event_id, result_type, result_time,
          result_data::text as result_data
