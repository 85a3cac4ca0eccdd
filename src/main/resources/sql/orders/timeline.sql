-- GET /api/orders/{id}: the order's timeline, oldest first.
select event_id, type, applied, note, at from order_timeline where order_id = :?orderId
 order by at, event_id
