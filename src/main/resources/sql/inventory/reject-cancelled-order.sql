-- The order was cancelled before it reached the inventory: it is rejected, and holds nothing.
update inventory_orders
   set status = :?status, reason = :?reason, event_id = :?eventId,
       result_event_id = :?resultEventId, result_type = :?resultType,
       result_time = :?resultTime, result_data = cast(:?resultData as json), decided_at = now()
 where order_id = :?orderId
   and status = 'CANCELLED'
