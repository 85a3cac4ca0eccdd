-- The user is connected to this instance until the lease ends (database clock).
insert into chat_presence (user_id, instance_id, expires_at)
values (:?userId, :?instanceId, now() + cast(:?leaseMillis as bigint) * interval '1 millisecond')
on conflict (user_id, instance_id) do update set expires_at = excluded.expires_at
