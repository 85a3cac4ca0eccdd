-- The user's newest profile and its version.
select version, profile from profile_versions where user_id = :?userId
