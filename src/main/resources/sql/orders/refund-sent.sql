-- The payment service accepted the refund.
update refunds set sent_at = now(), attempts = attempts + 1, lease_until = null
 where payment_id = :?paymentId
