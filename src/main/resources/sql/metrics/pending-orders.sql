-- Orders the saga still waits on (payment or stock): the gauge hub.aggregations.pending{aggregation="orders"};
-- counted on the partial index orders_awaiting_payment.
select count(*) from orders where status in ('PENDING', 'RESERVED')
