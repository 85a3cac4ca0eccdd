-- Whether this dead letter record was replayed before (by any instance, ever).
select count(*) from dlq_replays where topic = :?topic and partition = :?partition and "offset" = :?offset
