-- PUT /api/inventory/{sku}: the units available for the SKU; what is reserved stays reserved.
-- Also the isolation level its transaction runs at (kept on the exchange; the tests check it).
insert into inventory (sku, available) values (:#sku, :#available)
on conflict (sku) do update
   set available = excluded.available,
       version = inventory.version + 1,
       updated_at = now()
returning sku, available, reserved, current_setting('transaction_isolation') as isolation
