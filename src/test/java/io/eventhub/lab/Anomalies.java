package io.eventhub.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * The classic anomalies, each staged step by step on two connections (T1, T2) at every isolation
 * level, recording what PostgreSQL really does: the anomaly shows, or it is prevented, and how (T2
 * read its snapshot or the committed value, waited for T1's lock, failed with a serialization
 * error).
 */
final class Anomalies {

  static final List<String> LEVELS =
      List.of("READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE");

  static final List<String> NAMES =
      List.of(
          "dirty read",
          "non-repeatable read",
          "phantom read",
          "lost update (read-modify-write)",
          "write skew");

  /** What the SQL standard (and Berenson et al. 1995 for the last two) allows at each level. */
  static final Map<String, List<String>> STANDARD =
      Map.of(
          "dirty read", List.of("possible", "-", "-", "-"),
          "non-repeatable read", List.of("possible", "possible", "-", "-"),
          "phantom read", List.of("possible", "possible", "possible", "-"),
          "lost update (read-modify-write)", List.of("possible", "possible", "-", "-"),
          "write skew", List.of("possible", "possible", "possible", "-"));

  /** One anomaly at one level: whether it showed, and how PostgreSQL behaved. */
  record Outcome(boolean observed, String how) {
    @Override
    public String toString() {
      return (observed ? "OBSERVED" : "prevented") + (how.isEmpty() ? "" : " (" + how + ")");
    }
  }

  private static final int[] JDBC_LEVELS = {
    Connection.TRANSACTION_READ_UNCOMMITTED,
    Connection.TRANSACTION_READ_COMMITTED,
    Connection.TRANSACTION_REPEATABLE_READ,
    Connection.TRANSACTION_SERIALIZABLE
  };

  private final DataSource dataSource;
  private final ExecutorService background = Executors.newSingleThreadExecutor();

  Anomalies(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** anomaly -> one outcome per level of {@link #LEVELS}. */
  Map<String, List<Outcome>> run() throws Exception {
    Map<String, List<Outcome>> matrix = new LinkedHashMap<>();
    try {
      for (String anomaly : NAMES) {
        List<Outcome> row = new ArrayList<>();
        for (int level : JDBC_LEVELS) {
          reset();
          try (Connection t1 = open(level);
              Connection t2 = open(level)) {
            row.add(stage(anomaly, t1, t2));
          }
        }
        matrix.put(anomaly, row);
      }
    } finally {
      background.shutdownNow();
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("drop table if exists lab_accounts, lab_doctors");
      }
    }
    return matrix;
  }

  /** The level PostgreSQL reports for a transaction asked to run at READ UNCOMMITTED. */
  String reportedReadUncommitted() throws SQLException {
    try (Connection c = open(Connection.TRANSACTION_READ_UNCOMMITTED)) {
      String level = value(c, "show transaction_isolation");
      c.rollback();
      return level;
    }
  }

  private Outcome stage(String anomaly, Connection t1, Connection t2) throws Exception {
    return switch (anomaly) {
      case "dirty read" -> dirtyRead(t1, t2);
      case "non-repeatable read" -> nonRepeatableRead(t1, t2);
      case "phantom read" -> phantomRead(t1, t2);
      case "lost update (read-modify-write)" -> lostUpdate(t1, t2);
      default -> writeSkew(t1, t2);
    };
  }

  /** T1 changes a row without committing; T2 reads it. */
  private Outcome dirtyRead(Connection t1, Connection t2) throws SQLException {
    exec(t1, "update lab_accounts set balance = 999 where id = 1");
    int seen = Integer.parseInt(value(t2, "select balance from lab_accounts where id = 1"));
    t1.rollback();
    t2.commit();
    return seen == 999
        ? new Outcome(true, "T2 read T1's uncommitted 999")
        : new Outcome(false, "T2 read the committed " + seen);
  }

  /** T2 reads a row twice; T1 changes and commits it in between. */
  private Outcome nonRepeatableRead(Connection t1, Connection t2) throws SQLException {
    String first = value(t2, "select balance from lab_accounts where id = 1");
    exec(t1, "update lab_accounts set balance = balance + 50 where id = 1");
    t1.commit();
    String second = value(t2, "select balance from lab_accounts where id = 1");
    t2.commit();
    return first.equals(second)
        ? new Outcome(false, "T2's snapshot")
        : new Outcome(true, first + " then " + second);
  }

  /** T2 counts rows twice; T1 inserts a matching row and commits in between. */
  private Outcome phantomRead(Connection t1, Connection t2) throws SQLException {
    String query = "select count(*) from lab_accounts where balance > 0";
    String first = value(t2, query);
    exec(t1, "insert into lab_accounts (id, balance) values (3, 10)");
    t1.commit();
    String second = value(t2, query);
    t2.commit();
    return first.equals(second)
        ? new Outcome(false, "T2's snapshot")
        : new Outcome(true, first + " rows then " + second);
  }

  /**
   * Both read the balance (100), T1 writes 100 - 10, T2 writes 100 - 20 while T1 still holds the
   * row, then T1 commits: T2's write either overwrites T1's (the -10 is lost) or fails.
   */
  private Outcome lostUpdate(Connection t1, Connection t2) throws Exception {
    int read1 = Integer.parseInt(value(t1, "select balance from lab_accounts where id = 1"));
    int read2 = Integer.parseInt(value(t2, "select balance from lab_accounts where id = 1"));
    exec(t1, "update lab_accounts set balance = " + (read1 - 10) + " where id = 1");
    int t2Pid = Integer.parseInt(value(t2, "select pg_backend_pid()"));
    Future<String> t2Write =
        background.submit(
            () -> {
              try {
                exec(t2, "update lab_accounts set balance = " + (read2 - 20) + " where id = 1");
                t2.commit();
                return null;
              } catch (SQLException e) {
                t2.rollback();
                return e.getSQLState();
              }
            });
    boolean blocked = awaitBlocked(t2Pid);
    t1.commit();
    String failure = t2Write.get(10, TimeUnit.SECONDS);
    int end;
    try (Connection c = dataSource.getConnection()) {
      end = Integer.parseInt(value(c, "select balance from lab_accounts where id = 1"));
    }
    String waited = blocked ? "T2 waited for T1's row lock, then " : "";
    if (failure != null) {
      return new Outcome(false, waited + failure + " serialization failure");
    }
    return end == 100 - 20
        ? new Outcome(true, waited + "overwrote it: 80, T1's -10 lost")
        : new Outcome(false, waited + "ended at " + end);
  }

  /**
   * Two doctors on call; each transaction checks that two are on call and takes one off (a
   * different row each): together they leave nobody on call.
   */
  private Outcome writeSkew(Connection t1, Connection t2) throws SQLException {
    String onCall = "select count(*) from lab_doctors where on_call";
    value(t1, onCall);
    value(t2, onCall);
    exec(t1, "update lab_doctors set on_call = false where name = 'alice'");
    exec(t2, "update lab_doctors set on_call = false where name = 'bob'");
    t1.commit();
    String failure = null;
    try {
      t2.commit();
    } catch (SQLException e) {
      failure = e.getSQLState();
      t2.rollback();
    }
    String left;
    try (Connection c = dataSource.getConnection()) {
      left = value(c, onCall);
    }
    if (failure != null) {
      return new Outcome(false, "T2's commit failed: " + failure + " serialization failure");
    }
    return "0".equals(left)
        ? new Outcome(true, "both committed, nobody on call")
        : new Outcome(false, left + " on call");
  }

  /** Waits until the backend is waiting for a lock; false if it never did within a second. */
  private boolean awaitBlocked(int pid) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select wait_event_type from pg_stat_activity where pid = ?")) {
      ps.setInt(1, pid);
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && "Lock".equals(rs.getString(1))) {
            return true;
          }
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
    return false;
  }

  private void reset() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "create table if not exists lab_accounts (id int primary key, balance int not null)");
      s.execute("create table if not exists lab_doctors (name text primary key, on_call boolean)");
      s.execute("truncate lab_accounts, lab_doctors");
      s.execute("insert into lab_accounts values (1, 100), (2, 100)");
      s.execute("insert into lab_doctors values ('alice', true), ('bob', true)");
    }
  }

  private Connection open(int level) throws SQLException {
    Connection c = dataSource.getConnection();
    c.setAutoCommit(false);
    c.setTransactionIsolation(level);
    return c;
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String value(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
