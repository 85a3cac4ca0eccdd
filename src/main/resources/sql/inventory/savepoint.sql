-- Atomic: the point to go back to when one line of the order cannot be taken.
savepoint take_stock
