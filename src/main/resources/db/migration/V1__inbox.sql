-- Which events each service has handled: the idempotent consumer's inbox.
create table inbox (
    service      text        not null,
    event_id     text        not null,
    processed_at timestamptz not null default now(),
    primary key (service, event_id)
);
