-- Pessimistic: lock the order's rows in SKU order (the lock follows the sort), then decide.
select sku, available, version
  from inventory
 where sku = any(:?skus)
 order by sku
   for update
