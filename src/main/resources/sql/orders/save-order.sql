-- The order's saga state after an event.
update orders
   set status = :?status, reason = :?reason, customer_id = :?customerId, lines = :?lines::jsonb,
       amount = :?amount::jsonb, inventory = :?inventory, inventory_reason = :?inventoryReason,
       payment = :?payment::jsonb, payment_deadline = :?paymentDeadline, outcome_id = :?outcomeId,
       outcome_type = :?outcomeType, outcome_data = :?outcomeData::jsonb, updated_at = now()
 where order_id = :?orderId
