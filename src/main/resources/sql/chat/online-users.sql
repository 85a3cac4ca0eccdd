-- Which of these users have a live connection on any instance whose lease still runs.
select distinct user_id from chat_presence where user_id in (:?userIds) and expires_at > now()
