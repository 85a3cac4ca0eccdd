-- One dead letter replay per service at a time, whatever the instance: a session advisory lock,
-- taken without waiting (false: another replay of the service is running).
select pg_try_advisory_lock(hashtext(:?lock))
