-- Every event seen for the order (by its source and id), applied or not (and why not).
insert into order_timeline (order_id, source, event_id, type, applied, note)
values (:?orderId, :?source, :?eventId, :?type, :?applied, :?note)
on conflict do nothing
