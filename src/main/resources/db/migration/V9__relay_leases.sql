-- The files and chat relays claim the rows they republish, like the order and inventory relays:
-- a lease on the database clock, so several instances never publish the same row at once and a
-- crashed instance's rows come back when the lease ends.
alter table files add column relay_lease_until timestamptz;
alter table chat_messages add column relay_lease_until timestamptz;
