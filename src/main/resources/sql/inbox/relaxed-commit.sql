-- This transaction's commit does not wait for the WAL flush (io.eventhub.intake.PublishedInbox).
set local synchronous_commit to off
