-- The order's saga state, locked for this transaction: concurrent events of one order apply one by one.
select * from orders where order_id = :?orderId for update
