-- Refunds the payment service has not accepted yet, oldest first.
select payment_id, order_id, amount, reason from refunds where sent_at is null
 order by created_at limit 50
