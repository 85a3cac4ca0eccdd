-- GET /api/orders/{id}: the order's timeline, oldest first.
select source, event_id, type, applied, note, at from order_timeline where order_id = :?orderId
 order by at, source, event_id
