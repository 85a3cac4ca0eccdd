-- The replay of the service is done.
select pg_advisory_unlock(hashtext(:?lock))
