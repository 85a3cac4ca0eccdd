-- The order's saga state.
select * from orders where order_id = :?orderId
