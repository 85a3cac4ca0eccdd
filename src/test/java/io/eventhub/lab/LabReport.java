package io.eventhub.lab;

import io.eventhub.inventory.StockDecisions;
import io.eventhub.transactions.TransactionPolicies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The lab's findings as Markdown tables (printed and written to a file) and an SVG chart. */
final class LabReport {

  private static final String NOTES =
      "\nWhat the numbers show, beyond the noise:\n\n- **Camel/JDBC**: both run the same SQL files in the same transactions and ask the same decision bean; the difference is the route around them (a fresh exchange copy per run, simple expressions, bean calls, the sub-routes, the split of the optimistic strategy) and camel-jdbc, which asks the driver for the parameter metadata before every statement (`getParameterMetaData()`, with pgjdbc a round trip to PostgreSQL) where the plain loop just executes. The share of each was not measured here.\n- **Hot SKU**: every order updates the same row, so it is one order at a time whatever the level. READ COMMITTED with pessimistic or atomic locking waits for the row lock and never runs again; everything else turns waiting into conflicts (40001 or a failed compare-and-set) and reruns, and past a few clients some orders use up their runs (*gave up*: those would go to the dead letter topic).\n- **SERIALIZABLE on uniform SKUs** still reruns a lot although orders rarely share a SKU: most likely the predicate locks of serializable snapshot isolation, which PostgreSQL keeps per index page. Each order first looks up its decision row and its inbox row (not there yet), then inserts them; concurrent orders with neighbouring ids read and write the same index pages, and PostgreSQL cannot tell that from a real read/write dependency.\n";

  private final boolean quick;
  private final long cellMillis;
  private final List<Integer> clients;
  private Map<String, String> machine = Map.of();
  private Map<String, String> settings = Map.of();
  private Map<String, List<Anomalies.Outcome>> anomalies = Map.of();
  private String readUncommitted = "";
  private Deadlocks.Result[] deadlocks = new Deadlocks.Result[0];
  private List<SharedLocks.Result> shared = List.of();
  private List<IndexUse.Result> indexUse = List.of();
  private List<Granularity.Probe> probes = List.of();
  private Granularity granularity;
  private final List<Measurement> measurements = new ArrayList<>();
  private final Map<String, long[]> sellOuts = new LinkedHashMap<>();
  private long tookSeconds;

  LabReport(boolean quick, long cellMillis, List<Integer> clients) {
    this.quick = quick;
    this.cellMillis = cellMillis;
    this.clients = clients;
  }

  void machine(Map<String, String> machine) {
    this.machine = machine;
  }

  void settings(Map<String, String> settings) {
    this.settings = settings;
  }

  void anomalies(Map<String, List<Anomalies.Outcome>> matrix, String readUncommitted) {
    this.anomalies = matrix;
    this.readUncommitted = readUncommitted;
  }

  void deadlocks(Deadlocks.Result[] results) {
    this.deadlocks = results;
  }

  void shared(List<SharedLocks.Result> results) {
    this.shared = results;
  }

  void indexUse(List<IndexUse.Result> results) {
    this.indexUse = results;
  }

  void granularity(List<Granularity.Probe> probes, Granularity granularity) {
    this.probes = probes;
    this.granularity = granularity;
  }

  void add(Measurement m) {
    measurements.add(m);
  }

  void sellOut(String isolation, String locking, long[] result) {
    sellOuts.put(isolation + " / " + locking, result);
  }

  void took(long seconds) {
    this.tookSeconds = seconds;
  }

  String header() {
    StringBuilder md = new StringBuilder();
    md.append("# Concurrency lab").append(quick ? " (quick run)" : "").append("\n\n");
    md.append("The stock reservation of Camel Event Hub under concurrency, on real PostgreSQL.\n");
    md.append("Produced by `mvn -q test-compile exec:java@lab`")
        .append(quick ? " `-Dlab.quick=true`" : "")
        .append(" (see the README).\n\n");
    md.append("| machine | |\n|---|---|\n");
    machine.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    return md.toString();
  }

  String anomalySection() {
    StringBuilder md = new StringBuilder("\n## Anomalies, staged on two connections\n\n");
    md.append(
        "Each anomaly is played step by step with two transactions T1 and T2 at the same"
            + " isolation level. What PostgreSQL did:\n\n");
    md.append("| anomaly |");
    Anomalies.LEVELS.forEach(l -> md.append(' ').append(l).append(" |"));
    md.append("\n|---|---|---|---|---|\n");
    anomalies.forEach(
        (name, row) -> {
          md.append("| ").append(name).append(" |");
          row.forEach(o -> md.append(' ').append(o).append(" |"));
          md.append('\n');
        });
    md.append("\nWhat the SQL standard allows (\"possible\"; lost update and write skew as")
        .append(" Berenson et al. 1995 define them for locking implementations):\n\n| anomaly |");
    Anomalies.LEVELS.forEach(l -> md.append(' ').append(l).append(" |"));
    md.append("\n|---|---|---|---|---|\n");
    Anomalies.NAMES.forEach(
        name -> {
          md.append("| ").append(name).append(" |");
          Anomalies.STANDARD.get(name).forEach(s -> md.append(' ').append(s).append(" |"));
          md.append('\n');
        });
    md.append(
        "\nPostgreSQL is stricter than the standard in places and different in one:\n\n"
            + "- READ UNCOMMITTED behaves as READ COMMITTED: PostgreSQL never shows uncommitted"
            + " data (a transaction asked for it reports `"
            + readUncommitted
            + "` but reads committed rows only).\n"
            + "- REPEATABLE READ is snapshot isolation: one snapshot for the whole transaction, so"
            + " no phantoms either (the standard allows them), and a write to a row changed since"
            + " the snapshot fails with 40001 instead of overwriting it (no lost update). But two"
            + " transactions that each change a different row after reading both both commit:"
            + " write skew shows.\n"
            + "- SERIALIZABLE is serializable snapshot isolation: it watches read/write"
            + " dependencies and aborts one transaction of a dangerous pair with 40001, so write"
            + " skew is prevented too. The price: transactions must be ready to run again.\n"
            + "- READ COMMITTED takes a new snapshot per statement: non-repeatable reads and"
            + " phantoms show, and a read-modify-write in the application loses updates (T2 waits"
            + " for T1's row lock, then overwrites). An UPDATE that computes from the row"
            + " (`set available = available - 1 where available >= 1`) re-checks the newest row"
            + " after the wait and is safe: that is the atomic strategy below.\n");
    md.append("\n## Deadlock\n\n| schedule | what happened | ms |\n|---|---|---|\n");
    for (Deadlocks.Result d : deadlocks) {
      md.append("| ")
          .append(d.schedule())
          .append(" | ")
          .append(d.outcome())
          .append(" | ")
          .append(d.millis())
          .append(" |\n");
    }
    md.append(
        "\nPostgreSQL finds a deadlock after `deadlock_timeout` (1 s by default) and aborts one"
            + " of the two transactions with 40P01. The stock routes lock rows in SKU order, so"
            + " two orders wait for each other but never deadlock.\n");
    md.append(sharedSection());
    md.append(indexSection());
    return md.toString();
  }

  private String sharedSection() {
    StringBuilder md = new StringBuilder("\n## Shared locks\n\n");
    md.append(
        "Row locks come in four strengths: FOR KEY SHARE < FOR SHARE < FOR NO KEY UPDATE < FOR"
            + " UPDATE. Shared ones are held by many transactions at once; an UPDATE that changes no"
            + " key column takes FOR NO KEY UPDATE, a DELETE or a key change FOR UPDATE. Staged on a"
            + " lab table `lab_stock (sku primary key, available)` and `lab_holds (sku references"
            + " lab_stock)`:\n\n| schedule | what happened | waited | failed with | ms |\n"
            + "|---|---|---|---|---|\n");
    for (SharedLocks.Result r : shared) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %d |%n",
              r.schedule(),
              r.outcome(),
              r.waited() ? "yes" : "no",
              r.failure() == null ? "-" : r.failure(),
              r.millis()));
    }
    md.append(
        "\n- Two FOR SHARE readers hold the row together (a multixact); a writer waits until the"
            + " last of them commits.\n"
            + "- A foreign-key check (inserting a reservation of a SKU) takes FOR KEY SHARE on the"
            + " referenced stock row: it only keeps the key from changing, so it does not block"
            + " the stock UPDATE (FOR NO KEY UPDATE), and a reservation being recorded never holds"
            + " up another order taking stock of that SKU. It does block FOR UPDATE (a delete or a"
            + " key change).\n"
            + "- The upgrade deadlock: two transactions that read with FOR SHARE and then write"
            + " each wait for the other's share lock; PostgreSQL aborts one with 40P01 after"
            + " `deadlock_timeout`. The hub never upgrades: the pessimistic strategy takes FOR"
            + " UPDATE up front, in SKU order (`sql/inventory/lock-stock.sql`), so the second"
            + " transaction waits at its first lock and both commit; the atomic strategy's single"
            + " UPDATE takes the strongest lock it needs at once.\n");
    return md.toString();
  }

  private String indexSection() {
    if (indexUse.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("\n## Index use and the rows a reservation locks\n\n");
    md.append(
        "The hub's lock statement (`SELECT ... WHERE sku = any(...) ORDER BY sku FOR UPDATE`,"
            + " three SKUs) on a lab table of "
            + IndexUse.ROWS
            + " SKUs, at SERIALIZABLE, with the unique index on `sku` and with it dropped (the lab"
            + " drops it on its own table). *rows locked*: rows a second connection could not take"
            + " with `FOR UPDATE SKIP LOCKED`; *predicate locks*: T1's SIReadLock entries in"
            + " pg_locks after the reservation; *second reservation*: another SERIALIZABLE"
            + " transaction locks and updates three other SKUs, both commit in turn.\n\n"
            + "| variant | plan (EXPLAIN ANALYZE, BUFFERS) | buffers | rows read | rows locked |"
            + " predicate locks (pg_locks) | second reservation |\n|---|---|---|---|---|---|---|\n");
    for (IndexUse.Result r : indexUse) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %d | %s | %s |%n",
              r.variant(),
              r.plan(),
              r.buffers(),
              r.rowsRead(),
              r.rowsLocked(),
              r.predicateLocks(),
              r.secondReservation()));
    }
    md.append(
        "\nPostgreSQL locks only the rows that pass the WHERE clause, whatever the plan: without"
            + " the index it reads every row (and every page) to find the three, but the row locks"
            + " stay on those three, unlike engines that lock every row the scan touches (InnoDB)."
            + " What the index saves here is the reading while the transaction holds its locks"
            + " (the buffers) and, at SERIALIZABLE, the predicate"
            + " locks: with the index they cover the tuples and index pages read; without it one"
            + " SIReadLock covers the whole relation, so any concurrent write to the table is a"
            + " read/write conflict and two reservations of different SKUs fail with 40001.\n");
    return md.toString();
  }

  String granularitySection() {
    if (granularity == null) {
      return "";
    }
    StringBuilder md =
        new StringBuilder("\n## Lock granularity: a table lock against row locks\n\n");
    md.append(
        "The same reservation workload (one unit of one of 1,000 SKUs; the hub's SQL files and"
            + " decision bean through the plain JDBC runner, READ COMMITTED) with the stock table"
            + " locked first (`LOCK TABLE inventory IN SHARE ROW EXCLUSIVE MODE`, then the rows read"
            + " and taken) and with the hub's row locks (`SELECT ... FOR UPDATE` in SKU order). What"
            + " a second transaction does while the first holds the lock a reservation of SKU A"
            + " takes:\n\n| second transaction |");
    Granularity.MODES.forEach(m -> md.append(' ').append(modeName(m)).append(" |"));
    md.append("\n|---|---|---|\n");
    for (String[] probe : Granularity.PROBES) {
      md.append("| ").append(probe[0]).append(" |");
      for (String mode : Granularity.MODES) {
        probes.stream()
            .filter(p -> p.mode().equals(mode) && p.probe().equals(probe[0]))
            .findFirst()
            .ifPresent(p -> md.append(p.waited() ? " waits |" : " goes on |"));
      }
      md.append('\n');
    }
    md.append("\nThroughput (orders per second), each cell ")
        .append(cellMillis)
        .append(" ms:\n\n| clients |");
    Granularity.MODES.forEach(m -> md.append(' ').append(modeName(m)).append(" |"));
    md.append(
        " table / row | p99 ms table | p99 ms row | oversold |\n|---|---|---|---|---|---|---|\n");
    for (int n : clients) {
      Granularity.Point table = point(JdbcStockReservations.TABLE, n);
      Granularity.Point row = point("row", n);
      if (table == null || row == null) {
        continue;
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %.0f | %.0f | %.2f | %.1f | %.1f | %d |%n",
              n,
              table.result().perSecond(),
              row.result().perSecond(),
              granularity.ratio(n),
              table.result().p99Ms(),
              row.result().p99Ms(),
              table.oversold() + row.oversold()));
    }
    md.append(
        "\npg_locks sampled every 10 ms during the 32-client runs (locks on the stock table, and"
            + " waits for another transaction; row locks themselves live in the rows, pg_locks shows"
            + " them only when a transaction waits for one):\n\n| strategy | lock | most at once |"
            + " mean |\n|---|---|---|---|\n");
    for (Granularity.Held h : granularity.held) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.1f |%n",
              modeName(h.mode()),
              h.lock(),
              h.most(),
              h.mean()));
    }
    md.append(
        "\nSHARE ROW EXCLUSIVE conflicts with itself and with ROW EXCLUSIVE, the lock every"
            + " INSERT, UPDATE and DELETE takes on the table: one reservation at a time, whatever"
            + " the SKU, while plain reads and `FOR SHARE`/`FOR UPDATE` row locks (ROW SHARE) go on."
            + " Row locks only make orders of the same SKU wait for each other.\n");
    return md.toString();
  }

  private Granularity.Point point(String mode, int n) {
    return granularity.points.stream()
        .filter(p -> p.mode().equals(mode) && p.clients() == n)
        .findFirst()
        .orElse(null);
  }

  private static String modeName(String mode) {
    return mode.equals(JdbcStockReservations.TABLE) ? "table lock" : "row locks";
  }

  String benchmarkSection() {
    StringBuilder md = new StringBuilder("\n## Contention benchmark\n\n");
    md.append(
            "Each order reserves one unit of one SKU through `direct:reserve-stock` (the Camel"
                + " route: inbox row, decision, stock, reservation, in one transaction, run again on"
                + " conflicts) and, right before it, through a plain JDBC runner of the same SQL files"
                + " and the same decision bean, without Camel (same pool, same isolation level, same"
                + " locking, same reruns). ")
        .append("**hot**: every order wants the same SKU; **uniform**: one of 1,000 SKUs at")
        .append(" random. Each cell runs ")
        .append(cellMillis)
        .append(" ms with that many client threads back to back; stock never runs out there (the")
        .append(" sell-out table below checks the limit). *reruns*: transactions rolled back on")
        .append(" 40001/40P01/55P03 or an optimistic conflict and run again; *gave up*: orders")
        .append(" still conflicting after their last run; *oversold*: units sold beyond the stock,")
        .append(" lost or counted twice, and orders not decided exactly once (all must be 0).\n\n");
    md.append("Settings: ");
    settings.forEach((k, v) -> md.append('`').append(k).append('=').append(v).append("` "));
    md.append("\n\n### At 32 clients\n\n");
    md.append(
        "| isolation | locking | hot orders/s | hot p99 ms | hot reruns | uniform orders/s |"
            + " uniform p99 ms | Camel/JDBC hot | Camel/JDBC uniform |\n"
            + "|---|---|---|---|---|---|---|---|---|\n");
    for (String isolation : TransactionPolicies.LEVELS) {
      for (String locking : StockDecisions.LOCKING) {
        Measurement hot = find("hot", isolation, locking, 32);
        Measurement uniform = find("uniform", isolation, locking, 32);
        if (hot == null || uniform == null) {
          continue;
        }
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %.0f | %.1f | %d | %.0f | %.1f | %.2f | %.2f |%n",
                isolation,
                locking,
                hot.camel().perSecond(),
                hot.camel().p99Ms(),
                hot.camelReruns(),
                uniform.camel().perSecond(),
                uniform.camel().p99Ms(),
                hot.ratio(),
                uniform.ratio()));
      }
    }
    for (String workload : List.of("hot", "uniform")) {
      md.append("\n### ").append(workload).append(", every cell\n\n");
      md.append(
          "| isolation | locking | clients | Camel orders/s | p50 ms | p99 ms | reruns | gave up |"
              + " oversold | JDBC orders/s | JDBC p99 ms | JDBC reruns | JDBC oversold |"
              + " Camel/JDBC |\n"
              + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      measurements.stream()
          .filter(m -> m.workload().equals(workload))
          .sorted(ConcurrencyLab.ORDER)
          .forEach(m -> md.append(row(m)));
    }
    md.append("\n### Sell-out: ")
        .append(ConcurrencyLab.SELL_OUT_STOCK)
        .append(" units, ")
        .append(ConcurrencyLab.SELL_OUT_ORDERS)
        .append(" orders for one unit each from ")
        .append(ConcurrencyLab.SELL_OUT_CLIENTS)
        .append(" clients at once (Camel route)\n\n")
        .append("| isolation / locking | reserved | rejected | gave up | oversold |\n")
        .append("|---|---|---|---|---|\n");
    sellOuts.forEach(
        (k, r) ->
            md.append(
                String.format(
                    Locale.ROOT, "| %s | %d | %d | %d | %d |%n", k, r[0], r[1], r[2], r[3])));
    md.append("\nThe whole run took ").append(tookSeconds).append(" s.\n");
    return md.toString();
  }

  String markdown() {
    return header()
        + anomalySection()
        + granularitySection()
        + benchmarkSection()
        + "\n![Reservations per second against clients](concurrency-lab.svg)\n"
        + NOTES
        + "\nRead the numbers as relative: this machine was shared, it ran other builds at the same time (the load average above), so"
        + " cells vary from run to run (by some ten percent on an idle machine, by much more"
        + " under load, even at one client). The shape holds: the hot SKU"
        + " serializes every order on one row, so more clients only add waiting (READ COMMITTED)"
        + " or conflicts and reruns (REPEATABLE READ, SERIALIZABLE, optimistic); uniform orders"
        + " scale until the two cores are busy.\n";
  }

  static String line(Measurement m) {
    return String.format(
        Locale.ROOT,
        "%-7s %-15s %-11s %2d clients: Camel %7.0f/s p50 %6.1f ms p99 %6.1f ms reruns %5d gave up"
            + " %d oversold %d | JDBC %7.0f/s p99 %6.1f ms reruns %5d oversold %d | %.2f",
        fields(m, m.workload()));
  }

  private static String row(Measurement m) {
    return String.format(
        Locale.ROOT,
        "|%s %s | %s | %d | %.0f | %.1f | %.1f | %d | %d | %d | %.0f | %.1f | %d | %d | %.2f |%n",
        fields(m, ""));
  }

  /** A measurement's values in the order both the printed lines and the table rows show them. */
  private static Object[] fields(Measurement m, String first) {
    return new Object[] {
      first,
      m.isolation(),
      m.locking(),
      m.clients(),
      m.camel().perSecond(),
      m.camel().p50Ms(),
      m.camel().p99Ms(),
      m.camelReruns(),
      m.camel().gaveUp(),
      m.camelOversold(),
      m.jdbc().perSecond(),
      m.jdbc().p99Ms(),
      m.jdbcReruns(),
      m.jdbcOversold(),
      m.ratio()
    };
  }

  private Measurement find(String workload, String isolation, String locking, int clients) {
    return measurements.stream()
        .filter(
            m ->
                m.workload().equals(workload)
                    && m.isolation().equals(isolation)
                    && m.locking().equals(locking)
                    && m.clients() == clients)
        .findFirst()
        .orElse(null);
  }

  /**
   * Orders per second (Camel route) against clients: a panel per workload, a line per combination.
   */
  String chart() {
    int panelWidth = 420;
    int panelHeight = 300;
    int left = 60;
    int top = 50;
    int width = left + 2 * (panelWidth + 40) + 220;
    int height = top + panelHeight + 70;
    String[] colors = {"#1b9e77", "#d95f02", "#7570b3"};
    String[] dashes = {"", "8,4", "2,3"};
    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " font-family=\"sans-serif\" font-size=\"12\">%n",
                width,
                height))
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append(
            String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Stock reservations"
                    + " per second through the Camel route, against clients (%s)</text>%n",
                left,
                machine.getOrDefault("date", "")));
    List<String> workloads = List.of("hot", "uniform");
    for (int w = 0; w < workloads.size(); w++) {
      String workload = workloads.get(w);
      int x0 = left + w * (panelWidth + 40);
      double max =
          measurements.stream()
              .filter(m -> m.workload().equals(workload))
              .mapToDouble(m -> m.camel().perSecond())
              .max()
              .orElse(1);
      double yMax = niceCeiling(max);
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
              x0,
              top - 8,
              workload.equals("hot") ? "one hot SKU" : "1,000 uniform SKUs"));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
              x0,
              top,
              panelWidth,
              panelHeight));
      for (int g = 0; g <= 4; g++) {
        double value = yMax * g / 4;
        int y = top + panelHeight - (int) Math.round(panelHeight * g / 4.0);
        svg.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f</text>%n",
                x0,
                y,
                x0 + panelWidth,
                y,
                x0 - 4,
                y + 4,
                value));
      }
      for (int c = 0; c < clients.size(); c++) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                xOf(c, x0, panelWidth),
                top + panelHeight + 16,
                clients.get(c)));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">clients</text>%n",
              x0 + panelWidth / 2,
              top + panelHeight + 34));
      for (int i = 0; i < TransactionPolicies.LEVELS.size(); i++) {
        for (int l = 0; l < StockDecisions.LOCKING.size(); l++) {
          String isolation = TransactionPolicies.LEVELS.get(i);
          String locking = StockDecisions.LOCKING.get(l);
          StringBuilder points = new StringBuilder();
          for (int c = 0; c < clients.size(); c++) {
            Measurement m = find(workload, isolation, locking, clients.get(c));
            if (m != null) {
              int y =
                  top + panelHeight - (int) Math.round(panelHeight * m.camel().perSecond() / yMax);
              points.append(xOf(c, x0, panelWidth)).append(',').append(y).append(' ');
            }
          }
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                  points.toString().trim(),
                  colors[i],
                  dashes[l].isEmpty() ? "" : " stroke-dasharray=\"" + dashes[l] + "\""));
        }
      }
    }
    int lx = left + 2 * (panelWidth + 40);
    int ly = top + 10;
    for (int i = 0; i < TransactionPolicies.LEVELS.size(); i++) {
      for (int l = 0; l < StockDecisions.LOCKING.size(); l++) {
        int y = ly + (i * 3 + l) * 20;
        svg.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                    + "<text x=\"%d\" y=\"%d\">%s, %s</text>%n",
                lx,
                y,
                lx + 30,
                y,
                colors[i],
                dashes[l].isEmpty() ? "" : " stroke-dasharray=\"" + dashes[l] + "\"",
                lx + 36,
                y + 4,
                TransactionPolicies.LEVELS.get(i).replace('_', ' ').toLowerCase(Locale.ROOT),
                StockDecisions.LOCKING.get(l)));
      }
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" fill=\"#555\">orders per second; %s; machine: %s cores</text>%n",
            left,
            height - 10,
            quick ? "quick run" : "full run",
            machine.getOrDefault("cores", "?")));
    return svg.append("</svg>\n").toString();
  }

  private int xOf(int index, int x0, int panelWidth) {
    if (clients.size() == 1) {
      return x0 + panelWidth / 2;
    }
    return x0 + 30 + (panelWidth - 60) * index / (clients.size() - 1);
  }

  private static double niceCeiling(double value) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1))));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= value) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
