-- GET /api/inventory/{sku}
select sku, available, reserved from inventory where sku = :#sku
