-- First statement of every stock transaction: its time limits, and the isolation level it really
-- runs at (kept on the exchange; the tests check it).
select set_config('lock_timeout', :?lockTimeout, true) as lock_timeout,
       set_config('statement_timeout', :?statementTimeout, true) as statement_timeout,
       current_setting('transaction_isolation') as isolation
