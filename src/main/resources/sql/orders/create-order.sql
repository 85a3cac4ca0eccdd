-- The order's row, when its first event arrives (whichever that is).
insert into orders (order_id) values (:?orderId) on conflict do nothing
