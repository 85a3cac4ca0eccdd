package io.eventhub.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * What the lab's staged schedules share: transactions on their own connections, a statement run in
 * the background (it may wait for a lock), and whether a backend is waiting for a lock now.
 */
final class Sessions implements AutoCloseable {

  private final DataSource dataSource;
  private final ExecutorService background = Executors.newCachedThreadPool();

  Sessions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A transaction (auto-commit off) at the JDBC isolation level. */
  Connection open(int level) throws SQLException {
    Connection c = dataSource.getConnection();
    c.setAutoCommit(false);
    c.setTransactionIsolation(level);
    return c;
  }

  Connection open() throws SQLException {
    return open(Connection.TRANSACTION_READ_COMMITTED);
  }

  /**
   * Runs the statement in the background: null when done (and committed if asked), else SQLSTATE.
   */
  Future<String> later(Connection c, String sql, boolean commit) {
    return background.submit(
        () -> {
          try {
            exec(c, sql);
            if (commit) {
              c.commit();
            }
            return null;
          } catch (SQLException e) {
            c.rollback();
            return e.getSQLState();
          }
        });
  }

  <T> Future<T> later(Callable<T> work) {
    return background.submit(work);
  }

  /**
   * Whether the statement running in the background on the backend {@code pid} waits for a lock:
   * true as soon as PostgreSQL shows it waiting, false as soon as it finished (or after 2 s).
   */
  boolean waits(int pid, Future<?> running) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select wait_event_type from pg_stat_activity where pid = ?")) {
      ps.setInt(1, pid);
      while (System.nanoTime() < deadline) {
        if (running.isDone()) {
          return false;
        }
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && "Lock".equals(rs.getString(1)) && !running.isDone()) {
            return true;
          }
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
      }
    }
    return false;
  }

  /** The backends the backend {@code pid} waits for, as PostgreSQL sees it. */
  String blockedBy(int pid) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return value(c, "select array_to_string(pg_blocking_pids(" + pid + "), ',')");
    }
  }

  static int pid(Connection c) throws SQLException {
    return Integer.parseInt(value(c, "select pg_backend_pid()"));
  }

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static String value(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  void run(String... statements) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    background.shutdownNow();
  }
}
