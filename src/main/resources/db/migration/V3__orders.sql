-- The order saga's state: one row per order, correlated by order id, whatever order its events
-- arrive in. Status only moves forward: NEW (events seen, order not yet) -> PENDING (order
-- created) -> RESERVED (stock reserved) -> CONFIRMED or CANCELLED (final).
create table orders (
    order_id             text        primary key,
    status               text        not null default 'NEW',
    reason               text,
    customer_id          text,
    lines                jsonb,
    amount               jsonb,
    inventory            text,        -- RESERVED | REJECTED
    inventory_reason     text,
    payment              jsonb,       -- {"paymentId","status":"SUCCEEDED|FAILED","amount","failureReason"}
    payment_deadline     timestamptz, -- an order still unpaid then is cancelled (PAYMENT_TIMEOUT)
    outcome_id           text,        -- the OrderConfirmed / OrderCancelled event decided
    outcome_type         text,
    outcome_data         jsonb,
    outcome_published_at timestamptz, -- null until the outcome is on Kafka (outbox)
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    constraint orders_status check (status in ('NEW', 'PENDING', 'RESERVED', 'CONFIRMED', 'CANCELLED'))
);
create index orders_awaiting_payment on orders (payment_deadline) where status in ('PENDING', 'RESERVED');
create index orders_unpublished on orders (updated_at) where outcome_id is not null and outcome_published_at is null;

-- Every event the saga saw for an order, applied to its state or not (late, duplicate).
create table order_timeline (
    order_id  text        not null,
    event_id  text        not null,
    type      text        not null,
    applied   boolean     not null,
    note      text,
    at        timestamptz not null default clock_timestamp(),
    primary key (order_id, event_id)
);

-- Refunds the saga decided (a payment that succeeded for an order that was cancelled), sent to
-- the payment service by a relay; at most one per payment.
create table refunds (
    payment_id   text        primary key,
    order_id     text        not null,
    amount       jsonb,
    reason       text        not null,
    created_at   timestamptz not null default now(),
    sent_at      timestamptz,
    attempts     int         not null default 0
);
create index refunds_unsent on refunds (created_at) where sent_at is null;
