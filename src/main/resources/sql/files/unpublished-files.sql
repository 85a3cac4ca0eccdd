-- The relay's claim: decided files whose FileProcessed is not yet on Kafka this long after the
-- decision, leased to this instance (rows another instance holds or leased are skipped); times on
-- the database clock.
update files
   set relay_lease_until = now() + :?leaseMs * interval '1 millisecond'
 where file_id in (select file_id from files
                    where outcome_id is not null and outcome_published_at is null
                      and updated_at < now() - :?afterMs * interval '1 millisecond'
                      and (relay_lease_until is null or relay_lease_until < now())
                    order by updated_at
                    limit 100
                      for update skip locked)
returning file_id
