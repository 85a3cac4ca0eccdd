-- The relay's claim: decisions committed but not yet published, older than the relay's wait,
-- leased to this instance (rows another instance holds or leased are skipped); times on the
-- database clock.
update orders
   set relay_lease_until = now() + :?leaseMs * interval '1 millisecond'
 where order_id in (select order_id from orders
                     where outcome_id is not null and outcome_published_at is null
                       and updated_at < now() - :?afterMs * interval '1 millisecond'
                       and (relay_lease_until is null or relay_lease_until < now())
                     order by updated_at
                     limit 100
                       for update skip locked)
returning order_id
