-- The units the order holds, one row per SKU.
insert into reservations (order_id, sku, quantity)
select :?orderId, w.sku, w.quantity
  from unnest(:?skus::text[], :?quantities::int[]) as w(sku, quantity)
