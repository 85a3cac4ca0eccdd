-- This dead letter record is back on its topic: a later replay republishes nothing of it.
insert into dlq_replays (topic, partition, "offset") values (:?topic, :?partition, :?offset)
on conflict do nothing
