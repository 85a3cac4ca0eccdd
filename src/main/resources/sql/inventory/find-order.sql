-- The inventory's decision on the order, if it made one (or the order was cancelled first).
select order_id, status, reason, result_event_id, result_type, result_time,
       result_data::text as result_data
  from inventory_orders
 where order_id = :?orderId
