-- The file's aggregation state, locked for this transaction: its callbacks apply one by one.
select * from files where file_id = :?fileId for update
