-- Whether the user has a live connection on any instance whose lease still runs.
select count(*) from chat_presence where user_id = :?userId and expires_at > now()
