-- Analytics of profile changes: one row per UserProfileUpdated event. The event id is the key, so
-- a redelivered or replayed event adds nothing (insert ... on conflict (event_id) do nothing).
create table profile_changes (
    event_id       text        primary key,
    user_id        text        not null,
    version        bigint      not null,
    changed_fields text[]      not null,
    changed_at     timestamptz not null,
    recorded_at    timestamptz not null default now()
);

create index profile_changes_user_time on profile_changes (user_id, changed_at);
