-- The payment service did not accept the refund this time; the relay sends it again.
update refunds set attempts = attempts + 1 where payment_id = :?paymentId
