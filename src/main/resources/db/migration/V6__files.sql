-- Uploaded files and their processing: one row per file, one row per requested task. The file's
-- row is the aggregator's state (status only moves forward: PENDING -> COMPLETED | FAILED |
-- PARTIAL), changed under its row lock; the decided FileProcessed waits on the row until it is
-- published (an outbox).
create table files (
    file_id              text        primary key,
    name                 text        not null,
    content_type         text        not null,
    size                 bigint      not null,
    sha256               text        not null,
    storage_key          text        not null,
    status               text        not null default 'PENDING',
    reason               text,
    deadline             timestamptz not null, -- still PENDING then: PARTIAL or FAILED (timeout)
    completions          int         not null default 0, -- times a final status was set: 0 or 1
    outcome_id           text,
    outcome_data         jsonb,
    outcome_published_at timestamptz,
    uploaded_at          timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    constraint files_status check (status in ('PENDING', 'COMPLETED', 'FAILED', 'PARTIAL'))
);
create index files_pending on files (deadline) where status = 'PENDING';
create index files_unpublished on files (updated_at) where outcome_id is not null and outcome_published_at is null;
create index files_recent on files (uploaded_at desc);

create table file_tasks (
    file_id     text        not null references files (file_id),
    task        text        not null,
    status      text        not null default 'REQUESTED', -- REQUESTED | SUCCEEDED | FAILED
    result      jsonb,
    error       text,
    reported_at timestamptz,
    primary key (file_id, task)
);

-- Every callback a file got, applied or not (duplicate, late): what the processors said.
create table file_callbacks (
    id       bigserial   primary key,
    file_id  text        not null references files (file_id),
    task     text        not null,
    status   text        not null,
    applied  boolean     not null,
    note     text,
    at       timestamptz not null default clock_timestamp()
);
