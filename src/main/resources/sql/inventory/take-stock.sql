-- Pessimistic: every line at once; the rows are already locked by this transaction.
update inventory i
   set available = i.available - w.quantity,
       reserved = i.reserved + w.quantity,
       version = i.version + 1,
       updated_at = now()
  from unnest(:?skus::text[], :?quantities::int[]) as w(sku, quantity)
 where i.sku = w.sku
