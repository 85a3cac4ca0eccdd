-- Release: lock the rows of the SKUs the order holds, in SKU order, before changing them.
select i.sku
  from inventory i
  join reservations r on r.sku = i.sku
 where r.order_id = :?orderId
   and r.released_at is null
 order by i.sku
   for update of i
