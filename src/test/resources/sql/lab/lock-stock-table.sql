-- The lab's table-lock strategy: the whole stock table for this transaction. SHARE ROW EXCLUSIVE
-- conflicts with itself and with every writer (ROW EXCLUSIVE), not with readers or FOR SHARE/UPDATE.
lock table inventory in share row exclusive mode
