-- Every event seen for the order, applied or not (and why not).
insert into order_timeline (order_id, event_id, type, applied, note)
values (:?orderId, :?eventId, :?type, :?applied, :?note)
on conflict do nothing
