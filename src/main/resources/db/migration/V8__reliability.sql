-- Several hub instances on one PostgreSQL: outboxes claimed by one instance at a time (a lease on
-- the database clock), refunds retried with backoff then dead-lettered, dead letter replays marked
-- once, and an index for the inbox retention job.

-- The inventory's decision is an outbox: published after the commit, marked here once on Kafka;
-- the relay publishes the rows left unmarked (a crash or a broker error in between).
alter table inventory_orders add column result_published_at timestamptz;
alter table inventory_orders add column relay_lease_until timestamptz;
-- decisions made before this migration were published by the route that made them
update inventory_orders set result_published_at = coalesce(decided_at, now())
 where result_event_id is not null;
create index inventory_orders_unpublished on inventory_orders (decided_at)
 where result_event_id is not null and result_published_at is null;

-- The order saga's outbox relay leases the rows it publishes.
alter table orders add column relay_lease_until timestamptz;

-- Refunds: the next attempt after an exponential backoff, a lease while one is in flight, and a
-- dead letter (given up) after hub.refunds.max-attempts.
alter table refunds add column next_attempt_at timestamptz not null default now();
alter table refunds add column lease_until timestamptz;
alter table refunds add column last_error text;
alter table refunds add column dead_at timestamptz;
drop index refunds_unsent;
create index refunds_due on refunds (next_attempt_at) where sent_at is null and dead_at is null;

-- Dead letters replayed: one row per dead letter record, so a second replay republishes nothing.
create table dlq_replays (
    topic       text        not null,
    partition   integer     not null,
    "offset"    bigint      not null,
    replayed_at timestamptz not null default now(),
    primary key (topic, partition, "offset")
);

-- The inbox retention job deletes rows older than hub.inbox.retention.
create index inbox_processed_at on inbox (processed_at);

-- The newest version of each user's profile, compared before any cache is written: users.events
-- is compacted, so a stale or replayed record may be the last one kept for a user; the cache
-- never goes back to it, in memory or in Redis, before or after a restart.
create table profile_versions (
    user_id    text        primary key,
    version    bigint      not null,
    profile    text        not null,
    updated_at timestamptz not null default now()
);
