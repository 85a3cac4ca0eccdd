package io.eventhub.lab;

import ch.qos.logback.classic.Level;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.eventhub.HubConfiguration;
import io.eventhub.engines.EmbeddedPostgresServer;
import io.eventhub.inventory.StockDecisions;
import io.eventhub.inventory.StockRequest;
import io.eventhub.transactions.TransactionConflictsExhausted;
import io.eventhub.transactions.TransactionPolicies;
import io.eventhub.transactions.TransactionReruns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.commons.io.FileUtils;
import org.flywaydb.core.Flyway;
import org.slf4j.LoggerFactory;

/**
 * The concurrency lab ({@code mvn -q test-compile exec:java@lab}, {@code -Dlab.quick=true} for a
 * short run), on the embedded PostgreSQL or the one in {@code hub.db.url}: the classic anomalies at
 * each isolation level as PostgreSQL really behaves, a deadlock and its cure, and the contention
 * benchmark, shared locks, index use, a table lock against row locks, and the contention benchmark
 * of the stock reservation (every isolation level with every locking strategy, 1 to 64 clients, one
 * hot SKU and 1,000 uniform SKUs) through the Camel route and through the same SQL in a plain JDBC
 * loop. A full run writes docs/concurrency-lab.md and docs/concurrency-lab.svg; a quick run writes
 * them to target/lab/.
 */
public final class ConcurrencyLab {

  static final String HOT_SKU = "LAB-HOT";
  static final int HOT_STOCK = 50_000_000;
  static final int UNIFORM_SKUS = 1000;
  static final int UNIFORM_STOCK = 1_000_000;
  static final int SELL_OUT_STOCK = 100;
  static final int SELL_OUT_ORDERS = 300;
  static final int SELL_OUT_CLIENTS = 32;

  private final boolean quick;
  private final List<Integer> clients;
  private final long cellMillis;
  private final String jdbcUrl;
  private final String user;
  private final String password;

  private ConcurrencyLab(boolean quick, String jdbcUrl, String user, String password) {
    this.quick = quick;
    this.clients = quick ? List.of(1, 8, 32) : List.of(1, 8, 32, 64);
    this.cellMillis = quick ? 300 : 2500;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  public static void main(String[] args) throws Exception {
    quiet();
    boolean quick = Boolean.getBoolean("lab.quick");
    String url = setting("hub.db.url", "");
    EmbeddedPostgresServer embedded = null;
    String user = setting("hub.db.user", "");
    String password = setting("hub.db.password", "");
    if (url.isBlank()) {
      Path data = Path.of("target/lab-data/postgres");
      FileUtils.deleteDirectory(data.toFile());
      Files.createDirectories(data.getParent());
      embedded = new EmbeddedPostgresServer(data, 0).start();
      url = embedded.jdbcUrl();
      user = embedded.user();
    }
    try {
      new ConcurrencyLab(quick, url, user, password).run();
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
    System.exit(0);
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    LabReport report = new LabReport(quick, cellMillis, clients);
    try (HikariDataSource lab = pool(8)) {
      report.machine(machine(lab));
      System.out.println(report.header());
      Anomalies anomalies = new Anomalies(lab);
      report.anomalies(anomalies.run(), anomalies.reportedReadUncommitted());
      report.deadlocks(new Deadlocks(lab).run());
      SharedLocks shared = new SharedLocks(lab);
      report.shared(shared.run());
      shared.drop();
      report.indexUse(new IndexUse(lab).run());
      System.out.println(report.anomalySection());
      // the hub's schema, as the hub itself migrates it, for the granularity runs
      Flyway.configure().dataSource(lab).locations("classpath:db/migration").load().migrate();
    }
    try (HikariDataSource pool = pool(clients.get(clients.size() - 1) + 4)) {
      Granularity granularity = new Granularity(pool, clients, cellMillis);
      List<Granularity.Probe> probes = granularity.blocking();
      granularity.benchmark();
      report.granularity(probes, granularity);
      System.out.println(report.granularitySection());
    }
    for (String isolation : TransactionPolicies.LEVELS) {
      for (String locking : StockDecisions.LOCKING) {
        benchmark(isolation, locking, report);
      }
    }
    report.took((System.nanoTime() - started) / 1_000_000_000);
    System.out.println(report.benchmarkSection());
    Path folder = quick ? Path.of("target/lab") : Path.of("docs");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("concurrency-lab.md"), report.markdown());
    Files.writeString(folder.resolve("concurrency-lab.svg"), report.chart());
    System.out.println(
        "Written: "
            + folder.resolve("concurrency-lab.md")
            + " and "
            + folder.resolve("concurrency-lab.svg"));
  }

  /** Every workload and number of clients for one isolation level and locking strategy. */
  private void benchmark(String isolation, String locking, LabReport report) throws Exception {
    Main main = new Main();
    main.configure().addConfiguration(HubConfiguration.class);
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(
        "camel.main.routes-include-pattern",
        "file:routes/inventory-reserve-stock.camel.yaml,file:routes/inventory-take-stock.camel.yaml");
    properties.put("camel.component.kafka.brokers", "127.0.0.1:1");
    properties.put("hub.kafka.create-topics", "false");
    properties.put("camel.server.enabled", "false");
    properties.put("camel.management.enabled", "false");
    // no HTTP server, so no API to guard: the lab's hub runs without credentials
    properties.put("hub.security.open", "true");
    properties.put("hub.db.url", jdbcUrl);
    properties.put("hub.db.user", user);
    properties.put("hub.db.password", password);
    properties.put("hub.db.pool-size", String.valueOf(clients.get(clients.size() - 1) + 4));
    properties.put("hub.inventory.isolation", isolation);
    properties.put("hub.inventory.locking", locking);
    properties.forEach(main::addOverrideProperty);
    main.start();
    try {
      CamelContext camel = main.getCamelContext();
      DataSource dataSource =
          camel.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
      TransactionReruns reruns =
          camel.getRegistry().lookupByNameAndType("reserveStockReruns", TransactionReruns.class);
      Map<String, String> settings =
          JdbcStockReservations.settings(
              camel,
              List.of(
                  "hub.inventory.retry.max-attempts",
                  "hub.inventory.retry.initial-delay-ms",
                  "hub.inventory.retry.max-delay-ms",
                  "hub.inventory.lock-timeout-ms",
                  "hub.inventory.statement-timeout-ms"));
      report.settings(settings);
      JdbcStockReservations jdbc = JdbcStockReservations.on(camel, isolation, locking, settings);
      ProducerTemplate template = camel.createProducerTemplate();
      // warm up both paths (class loading, JIT, pool), not measured
      for (String workload : List.of("hot", "uniform")) {
        reset(dataSource);
        Cell.run(8, quick ? 150 : 600, n -> viaCamel(template, order("warm", workload, n)));
        reset(dataSource);
        Cell.run(8, quick ? 150 : 600, n -> jdbc.reserve(order("warm", workload, n)) != null);
      }
      for (String workload : List.of("hot", "uniform")) {
        for (int n : clients) {
          String tag = workload.charAt(0) + "" + n;
          reset(dataSource);
          long jdbcReruns = jdbc.reruns.reruns();
          Cell.Result plain =
              Cell.run(n, cellMillis, k -> jdbc.reserve(order("j" + tag, workload, k)) != null);
          jdbcReruns = jdbc.reruns.reruns() - jdbcReruns;
          long jdbcOversold = oversold(dataSource, plain.orders() - plain.gaveUp(), "lab-j" + tag);
          reset(dataSource);
          long camelReruns = reruns.reruns();
          Cell.Result route =
              Cell.run(n, cellMillis, k -> viaCamel(template, order("c" + tag, workload, k)));
          camelReruns = reruns.reruns() - camelReruns;
          long camelOversold = oversold(dataSource, route.orders() - route.gaveUp(), "lab-c" + tag);
          Measurement m =
              new Measurement(
                  workload,
                  isolation,
                  locking,
                  n,
                  route,
                  camelReruns,
                  camelOversold,
                  plain,
                  jdbcReruns,
                  jdbcOversold);
          report.add(m);
          System.out.println(LabReport.line(m));
        }
      }
      report.sellOut(isolation, locking, sellOut(dataSource, template));
    } finally {
      main.stop();
    }
  }

  /** A hot SKU with 100 units and 300 orders for one unit each from 32 clients at once. */
  private long[] sellOut(DataSource dataSource, ProducerTemplate template) throws Exception {
    reset(dataSource);
    exec(
        dataSource,
        "insert into inventory (sku, available) values ('LAB-SELL-OUT', "
            + SELL_OUT_STOCK
            + ") on conflict (sku) do update set available = excluded.available, reserved = 0");
    java.util.concurrent.atomic.AtomicLong left =
        new java.util.concurrent.atomic.AtomicLong(SELL_OUT_ORDERS);
    java.util.concurrent.atomic.AtomicLong gaveUp = new java.util.concurrent.atomic.AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < SELL_OUT_CLIENTS; i++) {
      Thread t =
          new Thread(
              () -> {
                long n;
                while ((n = left.decrementAndGet()) >= 0) {
                  StockRequest request =
                      request("lab-s-" + n, List.of(new StockRequest.Line("LAB-SELL-OUT", 1)));
                  if (!viaCamel(template, request)) {
                    gaveUp.incrementAndGet();
                  }
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long reserved =
        count(
            dataSource,
            "select count(*) from inventory_orders where order_id like 'lab-s-%' and status ="
                + " 'RESERVED'");
    long rejected =
        count(
            dataSource,
            "select count(*) from inventory_orders where order_id like 'lab-s-%' and status ="
                + " 'REJECTED'");
    long available =
        count(dataSource, "select available from inventory where sku = 'LAB-SELL-OUT'");
    long oversold =
        Math.max(0, reserved - SELL_OUT_STOCK) + Math.abs(SELL_OUT_STOCK - reserved - available);
    return new long[] {reserved, rejected, gaveUp.get(), oversold};
  }

  private static boolean viaCamel(ProducerTemplate template, StockRequest request) {
    Exchange answer =
        template.send(
            "direct:reserve-stock",
            e -> {
              e.setProperty("eventId", request.eventId());
              e.setProperty("eventSource", "/lab");
              e.setProperty("stockRequest", request);
            });
    Exception failure = answer.getException();
    if (failure instanceof TransactionConflictsExhausted) {
      return false;
    }
    if (failure != null) {
      throw new IllegalStateException("the stock route failed", failure);
    }
    return true;
  }

  static StockRequest order(String tag, String workload, long n) {
    String sku =
        workload.equals("hot")
            ? HOT_SKU
            : String.format("LAB-U-%04d", ThreadLocalRandom.current().nextInt(UNIFORM_SKUS));
    return request("lab-" + tag + "-" + n, List.of(new StockRequest.Line(sku, 1)));
  }

  private static StockRequest request(String orderId, List<StockRequest.Line> lines) {
    StringBuilder json = new StringBuilder("[");
    for (StockRequest.Line line : lines) {
      json.append(json.length() > 1 ? "," : "")
          .append("{\"sku\":\"")
          .append(line.sku())
          .append("\",\"quantity\":")
          .append(line.quantity())
          .append('}');
    }
    return new StockRequest(orderId, orderId + "-evt", lines, json.append(']').toString(), null);
  }

  /**
   * Units sold beyond the stock, or lost or counted twice: for every lab SKU, the reserved column,
   * the reservation rows and the initial stock must agree. Also every order that completed must
   * have exactly one decision.
   */
  static long oversold(DataSource dataSource, long completed, String orderPrefix)
      throws SQLException {
    long broken =
        count(
            dataSource,
            "select coalesce(sum(abs(s.initial - i.available - i.reserved)"
                + " + abs(i.reserved - coalesce(r.units, 0))"
                + " + greatest(0, coalesce(r.units, 0) - s.initial)), 0)"
                + " from inventory i"
                + " join (select sku, case when sku = '"
                + HOT_SKU
                + "' then "
                + HOT_STOCK
                + " else "
                + UNIFORM_STOCK
                + " end as initial from inventory where sku like 'LAB-%' and sku <> 'LAB-SELL-OUT') s"
                + " on s.sku = i.sku"
                + " left join (select sku, sum(quantity) as units from reservations"
                + " where released_at is null group by sku) r on r.sku = i.sku");
    long decisions =
        count(
            dataSource,
            "select count(*) from inventory_orders where order_id like '" + orderPrefix + "-%'");
    return broken + Math.abs(decisions - completed);
  }

  /** Lab rows out, stock back to the start, dead rows vacuumed: every cell starts alike. */
  static void reset(DataSource dataSource) throws SQLException {
    exec(dataSource, "delete from reservations where order_id like 'lab-%'");
    exec(dataSource, "delete from inventory_orders where order_id like 'lab-%'");
    exec(dataSource, "delete from inbox where service = 'inventory' and event_id like 'lab-%'");
    exec(
        dataSource,
        "insert into inventory (sku, available) values ('"
            + HOT_SKU
            + "', "
            + HOT_STOCK
            + ") on conflict (sku) do update set available = excluded.available, reserved = 0");
    exec(
        dataSource,
        "insert into inventory (sku, available) select 'LAB-U-' || lpad(g::text, 4, '0'), "
            + UNIFORM_STOCK
            + " from generate_series(0, "
            + (UNIFORM_SKUS - 1)
            + ") g on conflict (sku) do update set available = excluded.available, reserved = 0");
    exec(dataSource, "vacuum inventory, inventory_orders, reservations, inbox");
  }

  private static void exec(DataSource dataSource, String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(DataSource dataSource, String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private Map<String, String> machine(DataSource dataSource) throws SQLException {
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put(
        "date", ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")));
    machine.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    machine.put(
        "memory",
        (((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize()
                >> 30)
            + " GiB");
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put(
        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.put(
        "load average at start",
        String.format(
            java.util.Locale.ROOT,
            "%.1f (shared: other builds ran at the same time)",
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()));
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show server_version")) {
      rs.next();
      machine.put(
          "postgresql", rs.getString(1) + (jdbcUrl.contains("localhost") ? " (local)" : ""));
    }
    return machine;
  }

  private HikariDataSource pool(int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setPoolName("lab");
    return new HikariDataSource(config);
  }

  /** From a system property or the environment variable Camel would read. */
  private static String setting(String key, String fallback) {
    String value = System.getProperty(key);
    if (value == null) {
      value = System.getenv(key.toUpperCase().replace('.', '_').replace('-', '_'));
    }
    return value == null ? fallback : value.trim();
  }

  /** The lab prints tables; the engines and Camel only say something when it matters. */
  private static void quiet() {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.eventhub")).setLevel(Level.WARN);
  }

  static final Comparator<Measurement> ORDER =
      Comparator.comparing(Measurement::workload)
          .thenComparing(m -> TransactionPolicies.LEVELS.indexOf(m.isolation()))
          .thenComparing(m -> StockDecisions.LOCKING.indexOf(m.locking()))
          .thenComparing(Measurement::clients);
}
