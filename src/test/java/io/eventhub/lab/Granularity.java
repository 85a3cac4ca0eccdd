package io.eventhub.lab;

import static io.eventhub.lab.Sessions.exec;
import static io.eventhub.lab.Sessions.get;
import static io.eventhub.lab.Sessions.pid;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.inventory.StockDecisions;
import io.eventhub.inventory.StockOutcomes;
import io.eventhub.inventory.StockParameters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Lock granularity: the same reservation workload (one unit of one of 1,000 SKUs, the hub's SQL
 * files and decision bean through the plain JDBC runner, READ COMMITTED) with the whole stock table
 * locked first ({@code LOCK TABLE inventory IN SHARE ROW EXCLUSIVE MODE}) and with the hub's row
 * locks ({@code SELECT ... FOR UPDATE} in SKU order); what each blocks, staged on two connections;
 * and pg_locks sampled while 32 clients run.
 */
final class Granularity {

  static final List<String> MODES = List.of(JdbcStockReservations.TABLE, "row");

  /** What a second transaction does while the first holds a reservation's lock on SKU A. */
  static final List<String[]> PROBES =
      List.of(
          new String[] {
            "reserve another SKU (UPDATE of B)",
            "update inventory set available = available - 1, reserved = reserved + 1"
                + " where sku = 'LAB-U-0001'"
          },
          new String[] {
            "reserve the same SKU (UPDATE of A)",
            "update inventory set available = available - 1, reserved = reserved + 1"
                + " where sku = 'LAB-U-0000'"
          },
          new String[] {
            "lock another SKU's row (SELECT ... FOR UPDATE of B)",
            "select * from inventory where sku = 'LAB-U-0001' for update"
          },
          new String[] {
            "read the same SKU (plain SELECT of A)",
            "select * from inventory where sku = 'LAB-U-0000'"
          });

  /** One probe: whether it waited for the first transaction. */
  record Probe(String mode, String probe, boolean waited) {}

  /** One cell: mode, clients, what the cell measured and the units sold wrongly (must be 0). */
  record Point(String mode, int clients, Cell.Result result, long oversold) {}

  /** Locks seen in pg_locks during a run: the most at once, and the mean over the samples. */
  record Held(String mode, String lock, int most, double mean) {}

  private final DataSource dataSource;
  private final List<Integer> clients;
  private final long cellMillis;
  final List<Point> points = new ArrayList<>();
  final List<Held> held = new ArrayList<>();

  Granularity(DataSource dataSource, List<Integer> clients, long cellMillis) {
    this.dataSource = dataSource;
    this.clients = clients;
    this.cellMillis = cellMillis;
  }

  /** The lock a reservation of SKU A takes in the mode, held by an open transaction. */
  static String lockOf(String mode) {
    return mode.equals(JdbcStockReservations.TABLE)
        ? "lock table inventory in share row exclusive mode"
        : "select * from inventory where sku = 'LAB-U-0000' for update";
  }

  /** Every probe against each mode's lock. Needs the hub's schema and the lab's SKUs (reset). */
  List<Probe> blocking() throws Exception {
    ConcurrencyLab.reset(dataSource);
    List<Probe> probes = new ArrayList<>();
    try (Sessions s = new Sessions(dataSource)) {
      for (String mode : MODES) {
        for (String[] probe : PROBES) {
          try (Connection t1 = s.open();
              Connection t2 = s.open()) {
            int pid2 = pid(t2);
            exec(t1, lockOf(mode));
            Future<String> second = s.later(t2, probe[1], false);
            boolean waited = s.waits(pid2, second);
            t1.rollback();
            get(second);
            t2.rollback();
            probes.add(new Probe(mode, probe[0], waited));
          }
        }
      }
    }
    return probes;
  }

  /** The workload at every number of clients in both modes; pg_locks sampled at 32 clients. */
  void benchmark() throws Exception {
    for (String mode : MODES) {
      JdbcStockReservations runner = runner(mode);
      ConcurrencyLab.reset(dataSource);
      Cell.run(8, cellMillis / 2, k -> runner.reserve(order("gw", k)) != null);
      for (int n : clients) {
        String tag = "g" + mode.charAt(0) + n;
        ConcurrencyLab.reset(dataSource);
        AtomicBoolean sampling = new AtomicBoolean(n == 32);
        Future<Map<String, long[]>> sampler = sampler(sampling);
        Cell.Result result = Cell.run(n, cellMillis, k -> runner.reserve(order(tag, k)) != null);
        sampling.set(false);
        Map<String, long[]> seen = get(sampler);
        if (n == 32) {
          seen.forEach(
              (lock, counts) ->
                  held.add(
                      new Held(
                          mode,
                          lock,
                          (int) counts[0],
                          counts[2] == 0 ? 0 : counts[1] / (double) counts[2])));
        }
        long oversold =
            ConcurrencyLab.oversold(dataSource, result.orders() - result.gaveUp(), "lab-" + tag);
        points.add(new Point(mode, n, result, oversold));
        System.out.printf(
            java.util.Locale.ROOT,
            "granularity %-5s %2d clients: %7.0f orders/s p99 %6.1f ms oversold %d%n",
            mode,
            n,
            result.perSecond(),
            result.p99Ms(),
            oversold);
      }
    }
  }

  /** Orders per second with the table lock over orders per second with row locks. */
  double ratio(int clients) {
    double table = perSecond(JdbcStockReservations.TABLE, clients);
    double row = perSecond("row", clients);
    return row == 0 ? 0 : table / row;
  }

  double perSecond(String mode, int clients) {
    return points.stream()
        .filter(p -> p.mode().equals(mode) && p.clients() == clients)
        .mapToDouble(p -> p.result().perSecond())
        .findFirst()
        .orElse(0);
  }

  private JdbcStockReservations runner(String mode) {
    StockOutcomes outcomes = new StockOutcomes(new ObjectMapper());
    return new JdbcStockReservations(
        dataSource,
        "READ_COMMITTED",
        mode.equals("row") ? "pessimistic" : mode,
        new StockDecisions(outcomes),
        new StockParameters(2000, 10000),
        Map.of(
            "hub.inventory.retry.max-attempts", "30",
            "hub.inventory.retry.initial-delay-ms", "2",
            "hub.inventory.retry.max-delay-ms", "100"));
  }

  private static io.eventhub.inventory.StockRequest order(String tag, long n) {
    return ConcurrencyLab.order(tag, "uniform", n);
  }

  /**
   * Samples pg_locks every few milliseconds while asked: per lock (type, mode, held or waiting) on
   * the stock table, and the waits for another transaction, {most at once, sum, samples}.
   */
  private Future<Map<String, long[]>> sampler(AtomicBoolean sampling) {
    return java.util.concurrent.CompletableFuture.supplyAsync(
        () -> {
          try {
            return sample(sampling);
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private Map<String, long[]> sample(AtomicBoolean sampling) throws java.sql.SQLException {
    Map<String, long[]> seen = new TreeMap<>();
    if (!sampling.get()) {
      return seen;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select l.locktype, l.mode, l.granted, count(*) from pg_locks l"
                    + " left join pg_class c on c.oid = l.relation"
                    + " where l.pid <> pg_backend_pid()"
                    + " and (c.relname = 'inventory'"
                    + " or (l.locktype = 'transactionid' and not l.granted))"
                    + " group by 1, 2, 3")) {
      long samples = 0;
      while (sampling.get()) {
        samples++;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String lock =
                rs.getString(1) + " " + rs.getString(2) + (rs.getBoolean(3) ? " held" : " waiting");
            long n = rs.getLong(4);
            long[] counts = seen.computeIfAbsent(lock, k -> new long[3]);
            counts[0] = Math.max(counts[0], n);
            counts[1] += n;
          }
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      for (long[] counts : seen.values()) {
        counts[2] = samples;
      }
    }
    return seen;
  }
}
