-- PENDING files past their deadline (the database's clock), locked; rows another instance holds
-- are skipped, so two instances never time out the same file.
select file_id from files
 where status = 'PENDING' and deadline < now()
 order by deadline
 limit 100
   for update skip locked
