-- The relay's claim: refunds due (not accepted, not given up, past their backoff), oldest first,
-- leased to this instance while it sends them (rows another instance holds are skipped); times on
-- the database clock.
update refunds
   set lease_until = now() + :?leaseMs * interval '1 millisecond'
 where payment_id in (select payment_id from refunds
                       where sent_at is null and dead_at is null and next_attempt_at <= now()
                         and (lease_until is null or lease_until < now())
                       order by next_attempt_at
                       limit 50
                         for update skip locked)
returning payment_id, order_id, amount, reason, attempts
