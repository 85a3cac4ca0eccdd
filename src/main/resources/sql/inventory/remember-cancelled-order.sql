-- Release of an order the inventory has not decided on yet: remember it was cancelled, so the
-- OrderCreated that comes later is rejected instead of holding stock.
insert into inventory_orders (order_id, status) values (:?orderId, 'CANCELLED')
on conflict do nothing
