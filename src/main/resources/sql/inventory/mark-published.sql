-- The inventory's decision on the order is on Kafka (its outbox row is done).
update inventory_orders set result_published_at = now(), relay_lease_until = null
 where order_id = :?orderId and result_published_at is null
