-- The database's clock (the transaction's start): every deadline is set and compared on it.
select now()
