-- The profile becomes the user's newest only if its version is higher than the one stored (one
-- statement: two instances cannot interleave the check and the write). One row: it is the newest.
insert into profile_versions (user_id, version, profile) values (:?userId, :?version, :?profile)
on conflict (user_id) do update
   set version = excluded.version, profile = excluded.profile, updated_at = now()
 where profile_versions.version < excluded.version
