-- A paid order was cancelled: its payment is to be refunded (sent by the refunds relay).
insert into refunds (payment_id, order_id, amount, reason)
values (:?paymentId, :?orderId, :?amount::jsonb, :?reason)
on conflict do nothing
