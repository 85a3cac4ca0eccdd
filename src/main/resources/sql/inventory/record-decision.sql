-- The decision and the event that announces it: a new row, or over the mark of an order cancelled
-- before it arrived (only its ORDER_CANCELLED rejection may replace that mark). No row written
-- means another transaction decided on this order meanwhile: this one must run again and find
-- that decision.
insert into inventory_orders
       (order_id, status, reason, event_id, result_event_id, result_type, result_time,
        result_data, decided_at)
values (:?orderId, :?status, :?reason, :?eventId, :?resultEventId, :?resultType, :?resultTime,
        cast(:?resultData as json), now())
on conflict (order_id) do update
   set status = excluded.status, reason = excluded.reason, event_id = excluded.event_id,
       result_event_id = excluded.result_event_id, result_type = excluded.result_type,
       result_time = excluded.result_time, result_data = excluded.result_data,
       decided_at = excluded.decided_at
 where inventory_orders.status = 'CANCELLED'
   and excluded.reason = 'ORDER_CANCELLED'
