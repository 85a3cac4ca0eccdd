-- Optimistic: one line, only if the row is still at the version the check read.
update inventory
   set available = available - :?quantity,
       reserved = reserved + :?quantity,
       version = version + 1,
       updated_at = now()
 where sku = :?sku
   and version = :?version
