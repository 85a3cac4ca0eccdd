insert into file_tasks (file_id, task) values (:?fileId, :?task)
