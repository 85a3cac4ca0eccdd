-- Orders past their payment deadline, locked; rows another instance holds are skipped, so two
-- instances never time out the same order. A paid order waits for its stock decision, whatever
-- the deadline.
select order_id from orders
 where status in ('PENDING', 'RESERVED')
   and payment_deadline < now()
   and coalesce(payment->>'status', '') <> 'SUCCEEDED'
 order by payment_deadline
 limit 100
   for update skip locked
