package io.eventhub.lab;

import static io.eventhub.lab.Sessions.exec;
import static io.eventhub.lab.Sessions.get;
import static io.eventhub.lab.Sessions.value;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * What an index changes for a reservation's locks, on a lab table of its own (10,000 SKUs, the
 * hub's lock statement {@code SELECT ... WHERE sku = any(...) ORDER BY sku FOR UPDATE} for three
 * SKUs): with the index on {@code sku}, and with it dropped. For each: the plan with {@code EXPLAIN
 * (ANALYZE, BUFFERS)}, the rows it read, the rows it locked (counted from a second connection with
 * {@code FOR UPDATE SKIP LOCKED}), the locks pg_locks shows at SERIALIZABLE (predicate locks:
 * SIReadLock per tuple, page or the whole relation), and whether a second SERIALIZABLE reservation
 * of three other SKUs commits.
 */
final class IndexUse {

  static final int ROWS = 10_000;
  static final String LOCK =
      "select sku, available from lab_index_stock where sku = any('{LAB-I-01000,LAB-I-05000,"
          + "LAB-I-09000}'::text[]) order by sku for update";
  static final String OTHER_LOCK =
      "select sku, available from lab_index_stock where sku = any('{LAB-I-02000,LAB-I-06000,"
          + "LAB-I-08000}'::text[]) order by sku for update";

  /** One variant: with or without the index. */
  record Result(
      String variant,
      String plan,
      String buffers,
      long rowsRead,
      long rowsLocked,
      String predicateLocks,
      String secondReservation) {}

  private final DataSource dataSource;

  IndexUse(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  List<Result> run() throws Exception {
    List<Result> results = new ArrayList<>();
    try (Sessions s = new Sessions(dataSource)) {
      s.run(
          "drop table if exists lab_index_stock",
          // room on every page, so an update stays on its page (HOT) and adds no index entry
          "create table lab_index_stock (sku text not null, available int not null)"
              + " with (fillfactor = 50)",
          "insert into lab_index_stock select 'LAB-I-' || lpad(g::text, 5, '0'), 100"
              + " from generate_series(0, "
              + (ROWS - 1)
              + ") g",
          "create unique index lab_index_stock_sku on lab_index_stock (sku)",
          "analyze lab_index_stock");
      results.add(measure(s, "with the index on sku"));
      s.run("drop index lab_index_stock_sku", "analyze lab_index_stock");
      results.add(measure(s, "index dropped"));
      s.run("drop table lab_index_stock");
    }
    return results;
  }

  private Result measure(Sessions s, String variant) throws Exception {
    String plan;
    String buffers = "";
    long rowsRead = 0;
    long locked;
    String predicate;
    String second;
    try (Connection t1 = s.open(Connection.TRANSACTION_SERIALIZABLE);
        Connection t2 = s.open(Connection.TRANSACTION_SERIALIZABLE);
        Connection counter = s.open()) {
      StringBuilder lines = new StringBuilder();
      long removed = 0;
      long returned = 0;
      try (Statement st = t1.createStatement();
          ResultSet rs =
              st.executeQuery("explain (analyze, buffers, costs off, timing off) " + LOCK)) {
        while (rs.next()) {
          String line = rs.getString(1).trim();
          lines.append(lines.length() == 0 ? "" : " / ").append(line);
          if (line.startsWith("Buffers:") && buffers.isEmpty()) {
            buffers = line.substring("Buffers:".length()).trim();
          }
          removed += number(line, "Rows Removed by Filter: ");
          returned = Math.max(returned, scanned(line));
        }
      }
      rowsRead = returned + removed;
      plan = scanNode(lines.toString());
      // what FOR UPDATE SKIP LOCKED cannot take from another transaction is what T1 locked
      locked =
          ROWS
              - Long.parseLong(
                  value(
                      counter,
                      "select count(*) from (select 1 from lab_index_stock for update skip locked) x"));
      counter.rollback();
      exec(t1, "update lab_index_stock set available = available - 1 where sku = 'LAB-I-01000'");
      predicate =
          value(
              counter,
              "select coalesce(string_agg(locktype || ' ' || mode || ' x' || n, ', '"
                  + " order by locktype), 'none') from (select l.locktype, l.mode, count(*) n"
                  + " from pg_locks l where l.pid = "
                  + Sessions.pid(t1)
                  + " and l.mode = 'SIReadLock' group by 1, 2) x");
      counter.rollback();
      exec(t2, OTHER_LOCK);
      exec(t2, "update lab_index_stock set available = available - 1 where sku = 'LAB-I-06000'");
      Future<String> t1Commit = s.later(t1, "select 1", true);
      String r1 = get(t1Commit);
      String r2;
      try {
        t2.commit();
        r2 = null;
      } catch (java.sql.SQLException e) {
        r2 = e.getSQLState();
        t2.rollback();
      }
      second =
          r1 == null && r2 == null
              ? "both commit"
              : (r1 != null ? "the first failed with " + r1 : "the second failed with " + r2);
    }
    return new Result(variant, plan, buffers, rowsRead, locked, predicate, second);
  }

  /** The scan node of a plan: Index Scan ... or Seq Scan ... (without its figures). */
  private static String scanNode(String plan) {
    for (String part : plan.split(" / ")) {
      String p = part.replace("->", "").trim();
      if (p.contains("Scan")) {
        int paren = p.indexOf("(actual");
        return paren > 0 ? p.substring(0, paren).trim() : p;
      }
    }
    return plan;
  }

  /** Rows a scan node returned ("actual rows=N"), counted as read by it. */
  private static long scanned(String line) {
    return line.contains("Scan") ? number(line, "rows=") : 0;
  }

  private static long number(String line, String label) {
    int at = line.indexOf(label);
    if (at < 0) {
      return 0;
    }
    int from = at + label.length();
    int to = from;
    while (to < line.length() && Character.isDigit(line.charAt(to))) {
      to++;
    }
    return to == from ? 0 : Long.parseLong(line.substring(from, to));
  }
}
