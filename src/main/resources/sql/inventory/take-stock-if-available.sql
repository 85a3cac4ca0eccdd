-- Atomic: one line, checked and taken by one conditional update.
update inventory
   set available = available - :?quantity,
       reserved = reserved + :?quantity,
       version = version + 1,
       updated_at = now()
 where sku = :?sku
   and available >= :?quantity
