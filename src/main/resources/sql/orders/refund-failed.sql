-- The payment service did not accept the refund this time: the next attempt waits twice as long
-- as the last (initialMs doubled per attempt, up to maxMs), on the database clock; after
-- maxAttempts the refund is given up (dead_at) and waits for an operator.
update refunds
   set attempts = attempts + 1,
       last_error = :?error,
       lease_until = null,
       next_attempt_at = now() + least(:?maxMs, :?initialMs * power(2, least(attempts, 30)))
                                 * interval '1 millisecond',
       dead_at = case when attempts + 1 >= :?maxAttempts then now() end
 where payment_id = :?paymentId and sent_at is null
returning dead_at is not null as dead
