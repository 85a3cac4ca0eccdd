-- Atomic: one line could not be taken; the lines taken before it are given back.
rollback to savepoint take_stock
