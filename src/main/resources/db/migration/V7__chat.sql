-- Chats: the first ChatMessageSent of a chat makes it, with its sender and recipients as members.
-- last_seq numbers the chat's messages in the order moderation took them (the row lock serializes
-- two instances); live delivery resumes from a seq (SSE Last-Event-ID).
create table chats (
    chat_id    text        primary key,
    last_seq   bigint      not null default 0,
    created_at timestamptz not null default now()
);

create table chat_members (
    chat_id text not null references chats (chat_id),
    user_id text not null,
    primary key (chat_id, user_id)
);
create index chat_members_user on chat_members (user_id);

-- One row per message (its messageId, whatever event ids it came under), with its verdict. A
-- BLOCKED message is kept for the record without a search vector and is never answered. The
-- verdict event is the outbox: published_at is null until it is on chat.events.
create table chat_messages (
    message_id   text        primary key,
    chat_id      text        not null references chats (chat_id),
    seq          bigint      not null,
    sender_id    text        not null,
    recipient_ids text[]     not null,
    body         text        not null,
    sent_at      timestamptz not null,
    verdict      text        not null,
    rule         text,
    source       text        not null,
    event_id     text        not null,
    search       tsvector    generated always as
                   (case when verdict = 'BLOCKED' then null else to_tsvector('english', body) end) stored,
    moderated_at timestamptz not null default now(),
    published_at timestamptz,
    constraint chat_messages_verdict check (verdict in ('ALLOWED', 'FLAGGED', 'BLOCKED')),
    constraint chat_messages_seq unique (chat_id, seq)
);
create index chat_messages_search on chat_messages using gin (search);
create index chat_messages_unpublished on chat_messages (moderated_at) where published_at is null;

-- Who is online: one row per user and hub instance with live connections, kept by a heartbeat; a
-- row past its lease (on the database clock) counts as offline, so a crashed instance's users do.
create table chat_presence (
    user_id     text        not null,
    instance_id text        not null,
    expires_at  timestamptz not null,
    primary key (user_id, instance_id)
);
