-- Inbox rows older than the retention (on the database clock), a batch at a time; rows another
-- instance is deleting are skipped.
delete from inbox
 where ctid in (select ctid from inbox
                 where processed_at < now() - :?retentionMs * interval '1 millisecond'
                 limit :?batch
                   for update skip locked)
