-- The user has no connection left on this instance.
delete from chat_presence where user_id = :?userId and instance_id = :?instanceId
