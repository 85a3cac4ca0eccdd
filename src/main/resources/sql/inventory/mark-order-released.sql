-- Release: only a reserved order is released, and only once.
update inventory_orders
   set status = 'RELEASED', released_at = now()
 where order_id = :?orderId
   and status = 'RESERVED'
