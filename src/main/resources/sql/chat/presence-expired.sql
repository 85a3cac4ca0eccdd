-- Leases long past: rows of instances that stopped without saying so.
delete from chat_presence where expires_at < now() - interval '1 hour'
