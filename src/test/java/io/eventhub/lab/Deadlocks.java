package io.eventhub.lab;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Two transactions that lock the same two rows: in opposite order PostgreSQL detects the deadlock
 * (after deadlock_timeout) and aborts one with 40P01; in the same order (what the stock routes do:
 * by SKU) the second simply waits for the first.
 */
final class Deadlocks {

  /** What happened: who failed with which SQLSTATE, and how long it took. */
  record Result(String schedule, String outcome, long millis) {}

  private final DataSource dataSource;

  Deadlocks(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  Result[] run() throws Exception {
    reset();
    try {
      return new Result[] {
        lock("opposite order: T1 locks A then B, T2 locks B then A", true),
        lock("same order: both lock A then B", false)
      };
    } finally {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("drop table if exists lab_rows");
      }
    }
  }

  /** T1 locks A, T2 its first row, then each locks the other row it needs and commits. */
  private Result lock(String schedule, boolean opposite) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    long started = System.nanoTime();
    try (Connection t1 = open();
        Connection t2 = open()) {
      exec(t1, "update lab_rows set n = n + 1 where id = 1");
      Future<String> second2;
      if (opposite) {
        exec(t2, "update lab_rows set n = n + 1 where id = 2");
        second2 = threads.submit(() -> finish(t2, 1));
      } else {
        // T2 waits here for T1's lock on A
        second2 =
            threads.submit(
                () -> {
                  exec(t2, "update lab_rows set n = n + 1 where id = 1");
                  return finish(t2, 2);
                });
      }
      Future<String> second1 = threads.submit(() -> finish(t1, 2));
      String r1 = second1.get(30, TimeUnit.SECONDS);
      String r2 = second2.get(30, TimeUnit.SECONDS);
      long millis = (System.nanoTime() - started) / 1_000_000;
      String outcome;
      if (r1 == null && r2 == null) {
        outcome = "no deadlock: both committed (T2 waited for T1)";
      } else {
        outcome =
            "deadlock detected: "
                + (r1 != null ? "T1 failed with " + r1 : "T1 committed")
                + ", "
                + (r2 != null ? "T2 failed with " + r2 : "T2 committed");
      }
      return new Result(schedule, outcome, millis);
    } finally {
      threads.shutdownNow();
    }
  }

  private static String finish(Connection c, int row) throws SQLException {
    try {
      exec(c, "update lab_rows set n = n + 1 where id = " + row);
      c.commit();
      return null;
    } catch (SQLException e) {
      c.rollback();
      return e.getSQLState();
    }
  }

  private void reset() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("create table if not exists lab_rows (id int primary key, n int not null)");
      s.execute("truncate lab_rows");
      s.execute("insert into lab_rows values (1, 0), (2, 0)");
    }
  }

  private Connection open() throws SQLException {
    Connection c = dataSource.getConnection();
    c.setAutoCommit(false);
    return c;
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
