-- The order's decision was published.
update orders set outcome_published_at = now(), relay_lease_until = null
 where order_id = :?orderId and outcome_published_at is null
