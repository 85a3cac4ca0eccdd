insert into file_callbacks (file_id, task, status, applied, note) values (:?fileId, :?task, :?status, :?applied, :?note)
