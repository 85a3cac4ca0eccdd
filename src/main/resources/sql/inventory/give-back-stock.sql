-- Release: the order's units go back to available.
with released as (
    update reservations
       set released_at = now()
     where order_id = :?orderId
       and released_at is null
 returning sku, quantity
)
update inventory i
   set available = i.available + r.quantity,
       reserved = i.reserved - r.quantity,
       version = i.version + 1,
       updated_at = now()
  from released r
 where i.sku = r.sku
