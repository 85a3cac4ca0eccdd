-- The decision and the event that announces it. No row inserted means another transaction
-- decided on this order meanwhile: this one must run again and find that decision.
insert into inventory_orders
       (order_id, status, reason, event_id, result_event_id, result_type, result_time,
        result_data, decided_at)
values (:?orderId, :?status, :?reason, :?eventId, :?resultEventId, :?resultType, :?resultTime,
        cast(:?resultData as json), now())
on conflict do nothing
