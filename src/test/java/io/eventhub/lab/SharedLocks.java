package io.eventhub.lab;

import static io.eventhub.lab.Sessions.exec;
import static io.eventhub.lab.Sessions.get;
import static io.eventhub.lab.Sessions.pid;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * Shared row locks, staged on lab tables: two FOR SHARE readers hold a row together while a writer
 * waits for both; the FOR KEY SHARE a foreign-key check takes does not block an UPDATE of a non-key
 * column (FOR NO KEY UPDATE), but does block FOR UPDATE; and two FOR SHARE readers that both go on
 * to write the row deadlock (the upgrade deadlock), which the hub's order avoids: FOR UPDATE up
 * front, in SKU order.
 */
final class SharedLocks {

  /**
   * One schedule: whether the transaction under test waited for a lock, and the SQLSTATE one of the
   * transactions failed with (null when all committed).
   */
  record Result(String schedule, String outcome, boolean waited, String failure, long millis) {}

  private final DataSource dataSource;

  SharedLocks(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  List<Result> run() throws Exception {
    return List.of(
        readersTogether(),
        writerAgainstReaders(),
        keyShareAgainstNoKeyUpdate(),
        keyShareAgainstUpdate(),
        upgrade(false),
        upgrade(true));
  }

  /** T1 and T2 both take FOR SHARE on the same row: the second does not wait. */
  Result readersTogether() throws Exception {
    reset();
    long started = System.nanoTime();
    try (Sessions s = new Sessions(dataSource);
        Connection t1 = s.open();
        Connection t2 = s.open()) {
      int pid1 = pid(t1);
      int pid2 = pid(t2);
      exec(t1, "select * from lab_stock where sku = 'A' for share");
      Future<String> second =
          s.later(t2, "select * from lab_stock where sku = 'A' for share", false);
      boolean waited = s.waits(pid2, second);
      t1.commit();
      get(second);
      t2.commit();
      return new Result(
          "T1 and T2 both SELECT ... FOR SHARE the same SKU",
          waited ? "T2 waited for T1" : "both hold the row at once: T2 did not wait",
          waited,
          null,
          millis(started));
    }
  }

  /**
   * T1 and T2 hold FOR SHARE; T3 updates the row: it waits, still after T1 commits, and goes on
   * only when T2 commits too.
   */
  Result writerAgainstReaders() throws Exception {
    reset();
    long started = System.nanoTime();
    try (Sessions s = new Sessions(dataSource);
        Connection t1 = s.open();
        Connection t2 = s.open();
        Connection t3 = s.open()) {
      int pid3 = pid(t3);
      exec(t1, "select * from lab_stock where sku = 'A' for share");
      exec(t2, "select * from lab_stock where sku = 'A' for share");
      Future<String> write =
          s.later(t3, "update lab_stock set available = available - 1 where sku = 'A'", true);
      boolean waited = s.waits(pid3, write);
      t1.commit();
      boolean stillWaiting = waited && s.waits(pid3, write);
      t2.commit();
      String failure = get(write);
      boolean both = waited && stillWaiting;
      return new Result(
          "T1 and T2 hold FOR SHARE, T3 UPDATEs the row",
          both
              ? "T3 waited for both readers: still after T1 committed, done once T2 committed"
              : (waited ? "T3 waited for T1 only" : "T3 did not wait"),
          both,
          failure,
          millis(started));
    }
  }

  /**
   * T1 inserts a row that references the SKU (the foreign-key check takes FOR KEY SHARE on it); T2
   * updates the SKU's stock (FOR NO KEY UPDATE): no wait.
   */
  Result keyShareAgainstNoKeyUpdate() throws Exception {
    return againstForeignKeyCheck(
        "T1 inserts a reservation of the SKU (FK check: FOR KEY SHARE), T2 UPDATEs its stock"
            + " (FOR NO KEY UPDATE)",
        "update lab_stock set available = available - 1 where sku = 'A'");
  }

  /** The same, but T2 takes FOR UPDATE (as for a key change or a delete): it waits. */
  Result keyShareAgainstUpdate() throws Exception {
    return againstForeignKeyCheck(
        "T1 inserts a reservation of the SKU (FK check: FOR KEY SHARE), T2 SELECT ... FOR UPDATE"
            + " (what a DELETE or a change of the key takes)",
        "select * from lab_stock where sku = 'A' for update");
  }

  private Result againstForeignKeyCheck(String schedule, String statement) throws Exception {
    reset();
    long started = System.nanoTime();
    try (Sessions s = new Sessions(dataSource);
        Connection t1 = s.open();
        Connection t2 = s.open()) {
      int pid1 = pid(t1);
      int pid2 = pid(t2);
      exec(t1, "insert into lab_holds (sku, quantity) values ('A', 1)");
      Future<String> second = s.later(t2, statement, true);
      boolean waited = s.waits(pid2, second);
      t1.commit();
      String failure = get(second);
      return new Result(
          schedule,
          waited ? "T2 waited until T1 committed" : "T2 went on at once: the locks do not conflict",
          waited,
          failure,
          millis(started));
    }
  }

  /**
   * Both take FOR SHARE on the row, then both update it: each waits for the other's share lock, a
   * deadlock (40P01 for one of them). In the hub's order both take FOR UPDATE first: the second
   * waits for the first, then both commit.
   */
  Result upgrade(boolean hubOrder) throws Exception {
    reset();
    String lock = "select * from lab_stock where sku = 'A' for " + (hubOrder ? "update" : "share");
    String write = "update lab_stock set available = available - 1 where sku = 'A'";
    long started = System.nanoTime();
    try (Sessions s = new Sessions(dataSource);
        Connection t1 = s.open();
        Connection t2 = s.open()) {
      int pid1 = pid(t1);
      int pid2 = pid(t2);
      exec(t1, lock);
      Future<String> first;
      Future<String> second;
      boolean waited;
      if (hubOrder) {
        second =
            s.later(
                () -> {
                  try {
                    exec(t2, lock);
                    exec(t2, write);
                    t2.commit();
                    return null;
                  } catch (java.sql.SQLException e) {
                    t2.rollback();
                    return e.getSQLState();
                  }
                });
        waited = s.waits(pid2, second);
        first = s.later(t1, write, true);
      } else {
        exec(t2, lock);
        first = s.later(t1, write, true);
        waited = s.waits(pid1, first);
        second = s.later(t2, write, true);
      }
      String r1 = get(first);
      String r2 = get(second);
      String failure = r1 != null ? r1 : r2;
      String outcome =
          failure == null
              ? "no deadlock: " + (waited ? "T2 waited for T1, then " : "") + "both committed"
              : "deadlock: "
                  + (r1 != null ? "T1 failed with " + r1 : "T1 committed")
                  + ", "
                  + (r2 != null ? "T2 failed with " + r2 : "T2 committed");
      return new Result(
          hubOrder
              ? "the hub's order: both SELECT ... FOR UPDATE first, then UPDATE"
              : "upgrade: both SELECT ... FOR SHARE, then both UPDATE the row",
          outcome,
          waited,
          failure,
          millis(started));
    }
  }

  private void reset() throws Exception {
    try (Sessions s = new Sessions(dataSource)) {
      s.run(
          "create table if not exists lab_stock (sku text primary key, available int not null)",
          "create table if not exists lab_holds (id serial primary key,"
              + " sku text not null references lab_stock (sku), quantity int not null)",
          "truncate lab_holds, lab_stock",
          "insert into lab_stock values ('A', 100), ('B', 100)");
    }
  }

  /** The lab tables out again. */
  void drop() throws Exception {
    try (Sessions s = new Sessions(dataSource)) {
      s.run("drop table if exists lab_holds, lab_stock");
    }
  }

  private static long millis(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
