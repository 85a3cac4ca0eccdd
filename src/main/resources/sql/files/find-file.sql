select * from files where file_id = :?fileId
