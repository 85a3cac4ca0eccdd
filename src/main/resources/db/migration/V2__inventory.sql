-- Inventory: stock per SKU, the inventory's decision per order, and the stock each order holds.
-- The checks make overselling impossible to commit, whatever the code above them does.

create table inventory (
    sku        text        primary key check (sku ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
    -- units that can still be reserved
    available  integer     not null check (available >= 0),
    -- units held by reservations not yet released
    reserved   integer     not null default 0 check (reserved >= 0),
    -- grows by one on every change: the compare-and-set of optimistic locking
    version    bigint      not null default 0,
    updated_at timestamptz not null default now()
);

-- One row per order: what the inventory decided and the event it published, so that a redelivered
-- OrderCreated publishes the same event again (same id) instead of deciding twice. An
-- OrderCancelled that comes before its OrderCreated leaves a CANCELLED row, so the late order is
-- rejected rather than holding stock for an order that no longer exists.
create table inventory_orders (
    order_id        text        primary key,
    status          text        not null check (status in ('RESERVED', 'REJECTED', 'RELEASED', 'CANCELLED')),
    reason          text,
    -- the OrderCreated this answered, and the InventoryReserved / InventoryRejected it published
    event_id        text,
    result_event_id text,
    result_type     text        check (result_type in ('InventoryReserved', 'InventoryRejected')),
    result_time     text,
    -- json, not jsonb: published again byte for byte
    result_data     json,
    decided_at      timestamptz,
    released_at     timestamptz,
    check (status = 'CANCELLED' or result_event_id is not null)
);

-- The units each order holds, per SKU; released_at is set when OrderCancelled gave them back.
create table reservations (
    order_id    text        not null references inventory_orders (order_id),
    sku         text        not null references inventory (sku),
    quantity    integer     not null check (quantity > 0),
    released_at timestamptz,
    primary key (order_id, sku)
);

create index reservations_open_by_sku on reservations (sku) where released_at is null;
