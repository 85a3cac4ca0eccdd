-- Files whose task results are not all in: the gauge hub.aggregations.pending{aggregation="files"};
-- counted on the partial index files_pending.
select count(*) from files where status = 'PENDING'
