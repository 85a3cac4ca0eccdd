-- The order's rows as they are now, without locking them.
select sku, available, version
  from inventory
 where sku = any(:?skus)
 order by sku
