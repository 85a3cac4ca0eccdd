package io.eventhub.bench;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.inventory.StockDecisions;
import io.eventhub.inventory.StockRequest;
import io.eventhub.inventory.StockRequests;
import io.eventhub.lab.JdbcStockReservations;
import io.eventhub.support.HubRunner;
import io.eventhub.support.OrderRecords;
import io.eventhub.support.TestEngines;
import io.eventhub.transactions.TransactionPolicies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.LoggerFactory;

/**
 * Reservations end to end against the same SQL in plain JDBC, for each isolation level and locking
 * strategy (issue 13). For each combination one hub runs the inventory routes on the test engines
 * (embedded Kafka and PostgreSQL), and the same orders are reserved twice on the same hot SKUs with
 * the same stock:
 *
 * <ul>
 *   <li><b>baseline</b>: {@link JdbcStockReservations} (the same SQL files, statements,
 *       transactions, isolation level, decision bean and reruns, without Camel) on the hub's own
 *       connection pool, from {@code bench.threads} threads; rate = reservations decided per
 *       second;
 *   <li><b>hub</b>: the orders as OrderCreated records on orders.events; the hub consumes them,
 *       reserves in its transaction and publishes InventoryReserved or InventoryRejected to
 *       inventory.events; rate = decisions out per second, from the first record sent to the last
 *       decision read.
 * </ul>
 *
 * Both sides are checked for oversell (stock, reserved units and reservation rows agree, every
 * order decided once). Run with {@code mvn -q test-compile exec:java@bench-reservations} ({@code
 * -Dbench.quick=true} for a short run; {@code -Dbench.orders=N -Dbench.threads=T
 * -Dbench.combinations=READ_COMMITTED/pessimistic,...}); writes target/bench/reservations.json.
 */
public final class ReservationBenchmark {

  private static final String SKU_PREFIX = "BENCH-";
  private static final int HOT_SKUS = 4;
  private static final Duration HUB_TIMEOUT = Duration.ofMinutes(4);

  private final boolean quick = Boolean.getBoolean("bench.quick");
  private final int orders = Integer.getInteger("bench.orders", quick ? 150 : 800);
  private final int threads = Integer.getInteger("bench.threads", 6);
  private final List<String> notes = new ArrayList<>();

  private ReservationBenchmark() {}

  /** One measured side: its rate, latencies and checks. */
  record Side(
      String label,
      double rate,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      int decided,
      int reserved,
      long gaveUp,
      long reruns,
      long oversold) {}

  /** One isolation x locking combination. */
  record Row(String isolation, String locking, Side hub, Side baseline) {
    String name() {
      return isolation.replace('_', ' ') + " x " + locking;
    }

    double ratio() {
      return hub.rate() / baseline.rate();
    }
  }

  public static void main(String[] args) throws Exception {
    quiet();
    new ReservationBenchmark().run();
    System.exit(0);
  }

  private void run() throws Exception {
    TestEngines.start();
    List<Row> rows = new ArrayList<>();
    for (String[] combination : combinations()) {
      rows.add(measure(combination[0], combination[1], rows.size()));
      Row row = rows.get(rows.size() - 1);
      System.out.printf(
          Locale.ROOT,
          "%-36s hub %8.1f/s (p99 %6.1f ms, reruns %d, oversold %d)  jdbc %8.1f/s (reruns %d,"
              + " oversold %d)  ratio %.2f%n",
          row.name(),
          row.hub().rate(),
          row.hub().p99Ms(),
          row.hub().reruns(),
          row.hub().oversold(),
          row.baseline().rate(),
          row.baseline().reruns(),
          row.baseline().oversold(),
          row.ratio());
    }
    write(rows);
  }

  private List<String[]> combinations() {
    String only = System.getProperty("bench.combinations", "");
    List<String[]> all = new ArrayList<>();
    for (String isolation : TransactionPolicies.LEVELS) {
      for (String locking : StockDecisions.LOCKING) {
        if (only.isBlank() || Arrays.asList(only.split(",")).contains(isolation + "/" + locking)) {
          all.add(new String[] {isolation, locking});
        }
      }
    }
    return all;
  }

  private Row measure(String isolation, String locking, int index) throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put(
        "camel.main.routes-include-pattern",
        "file:routes/delivery-conventions.camel.yaml,file:routes/inventory-on-order-created.camel.yaml,"
            + "file:routes/inventory-reserve-stock.camel.yaml,file:routes/inventory-take-stock.camel.yaml,"
            + "file:routes/inventory-decision-relay.camel.yaml");
    properties.put("hub.inventory.isolation", isolation);
    properties.put("hub.inventory.locking", locking);
    String run = "r" + index + "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    try (HubRunner hub = new HubRunner(properties)) {
      CamelContext camel = hub.context();
      DataSource dataSource =
          camel.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
      StockRequests requests =
          camel.getRegistry().lookupByNameAndType("stockRequests", StockRequests.class);
      Map<String, String> settings =
          JdbcStockReservations.settings(
              camel,
              List.of(
                  "hub.inventory.retry.max-attempts",
                  "hub.inventory.retry.initial-delay-ms",
                  "hub.inventory.retry.max-delay-ms"));
      JdbcStockReservations jdbc = JdbcStockReservations.on(camel, isolation, locking, settings);

      List<String[]> lines = orderLines();
      Map<String, Integer> stock = stockFor(lines);
      String skuRun = SKU_PREFIX + run + "-";

      // warm-up of both sides (class loading, JIT, pool, consumer group assignment), not measured
      int warm = quick ? 30 : 100;
      resetStock(dataSource, skuRun, stock);
      baseline(jdbc, requests, "bw-" + run, skuRun, lines.subList(0, warm));
      resetStock(dataSource, skuRun, stock);
      viaHub("hw-" + run, skuRun, lines.subList(0, warm));

      resetStock(dataSource, skuRun, stock);
      long jdbcReruns = jdbc.reruns().reruns();
      Side baseline = baseline(jdbc, requests, "b-" + run, skuRun, lines);
      baseline =
          checked(
              baseline, dataSource, "b-" + run, skuRun, stock, jdbc.reruns().reruns() - jdbcReruns);

      resetStock(dataSource, skuRun, stock);
      io.eventhub.transactions.TransactionReruns hubReruns =
          camel
              .getRegistry()
              .lookupByNameAndType(
                  "reserveStockReruns", io.eventhub.transactions.TransactionReruns.class);
      long before = hubReruns.reruns();
      Side viaHub = viaHub("h-" + run, skuRun, lines);
      viaHub = checked(viaHub, dataSource, "h-" + run, skuRun, stock, hubReruns.reruns() - before);
      return new Row(isolation, locking, viaHub, baseline);
    }
  }

  /** The orders: 1 to 3 lines each over a handful of hot SKUs, 1 or 2 units a line; same seed. */
  private List<String[]> orderLines() {
    Random random = new Random(13);
    List<String[]> all = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      int count = 1 + random.nextInt(3);
      List<Integer> skus = new ArrayList<>();
      while (skus.size() < count) {
        int sku = random.nextInt(HOT_SKUS);
        if (!skus.contains(sku)) {
          skus.add(sku);
        }
      }
      String[] line = new String[count];
      for (int l = 0; l < count; l++) {
        line[l] = skus.get(l) + ":" + (1 + random.nextInt(2));
      }
      all.add(line);
    }
    return all;
  }

  /**
   * Stock per SKU: 90 % of what the orders want of it, so the last orders sell out (the oversell
   * check then means something) while most are reserved.
   */
  private static Map<String, Integer> stockFor(List<String[]> lines) {
    Map<String, Integer> demand = new LinkedHashMap<>();
    for (String[] order : lines) {
      for (String line : order) {
        String[] parts = line.split(":");
        demand.merge(parts[0], Integer.parseInt(parts[1]), Integer::sum);
      }
    }
    Map<String, Integer> stock = new LinkedHashMap<>();
    demand.forEach((sku, units) -> stock.put(sku, units * 9 / 10));
    return stock;
  }

  private static String data(String orderId, String skuRun, String[] order) {
    String[] lines = new String[order.length];
    for (int i = 0; i < order.length; i++) {
      String[] parts = order[i].split(":");
      lines[i] = OrderRecords.line(skuRun + parts[0], Integer.parseInt(parts[1]));
    }
    return OrderRecords.orderCreated(orderId, lines);
  }

  private Side baseline(
      JdbcStockReservations jdbc,
      StockRequests requests,
      String prefix,
      String skuRun,
      List<String[]> lines)
      throws Exception {
    List<StockRequest> batch = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String orderId = prefix + "-" + i;
      batch.add(requests.fromOrderCreated(data(orderId, skuRun, lines.get(i)), "evt-" + orderId));
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger reserved = new AtomicInteger();
    AtomicLong gaveUp = new AtomicLong();
    long[] latencies = new long[batch.size()];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long started = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      running.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < batch.size(); i = next.getAndIncrement()) {
                  long start = System.nanoTime();
                  var outcome = jdbc.reserve(batch.get(i));
                  latencies[i] = System.nanoTime() - start;
                  if (outcome == null) {
                    gaveUp.incrementAndGet();
                  } else if (outcome.isReserved()) {
                    reserved.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    // the baseline has no event out: its outbox rows marked done, or the hub's relay would
    // publish them while the hub is measured
    markPublished(jdbc.dataSource(), prefix);
    int decided = (int) (batch.size() - gaveUp.get());
    return new Side(
        "the same SQL in plain JDBC (JdbcStockReservations), " + threads + " threads",
        decided / seconds,
        percentile(latencies, 0.50),
        percentile(latencies, 0.99),
        percentile(latencies, 0.999),
        decided,
        reserved.get(),
        gaveUp.get(),
        0,
        0);
  }

  /** The orders on orders.events, and the hub's decisions read back from inventory.events. */
  private Side viaHub(String prefix, String skuRun, List<String[]> lines) throws Exception {
    try (KafkaConsumer<String, String> decisions = decisionConsumer();
        KafkaProducer<String, String> producer = producer()) {
      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      Map<String, Long> latency = new HashMap<>();
      int reserved = 0;
      long started = System.nanoTime();
      long last = started;
      for (int i = 0; i < lines.size(); i++) {
        String orderId = prefix + "-" + i;
        ProducerRecord<String, String> record =
            new ProducerRecord<>("orders.events", orderId, data(orderId, skuRun, lines.get(i)));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", "evt-" + orderId);
        header(record, "ce_type", "OrderCreated");
        header(record, "ce_source", "/bench");
        header(record, "ce_subject", orderId);
        sentAt.put(orderId, System.nanoTime());
        producer.send(record);
      }
      producer.flush();
      long deadline = System.nanoTime() + HUB_TIMEOUT.toNanos();
      while (latency.size() < lines.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : decisions.poll(Duration.ofMillis(100))) {
          Long sent = record.key() == null ? null : sentAt.get(record.key());
          if (sent != null && !latency.containsKey(record.key())) {
            long now = System.nanoTime();
            latency.put(record.key(), now - sent);
            last = now;
            String type = new String(record.headers().lastHeader("ce_type").value(), UTF8);
            if (type.equals("InventoryReserved")) {
              reserved++;
            }
          }
        }
      }
      if (latency.size() < lines.size()) {
        notes.add(
            prefix
                + ": "
                + (lines.size() - latency.size())
                + " orders without a decision after "
                + HUB_TIMEOUT.toSeconds()
                + " s (dead letters or still running)");
      }
      double seconds = (last - started) / 1e9;
      long[] values = latency.values().stream().mapToLong(Long::longValue).toArray();
      return new Side(
          "the hub: OrderCreated on orders.events to its decision on inventory.events",
          latency.size() / seconds,
          percentile(values, 0.50),
          percentile(values, 0.99),
          percentile(values, 0.999),
          latency.size(),
          reserved,
          lines.size() - latency.size(),
          0,
          0);
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static void header(ProducerRecord<String, String> record, String name, String value) {
    record.headers().add(name, value.getBytes(UTF8));
  }

  private static KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /** Reads inventory.events from its end now: every partition assigned, positions fixed. */
  private static KafkaConsumer<String, String> decisionConsumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor("inventory.events")) {
      partitions.add(new TopicPartition(info.topic(), info.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  private static void markPublished(DataSource dataSource, String prefix) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update inventory_orders set result_published_at = now() where order_id like ?"
                    + " and result_published_at is null")) {
      ps.setString(1, prefix + "-%");
      ps.executeUpdate();
    }
  }

  /** The run's hot SKUs at their stock, nothing reserved. */
  private static void resetStock(DataSource dataSource, String skuRun, Map<String, Integer> stock)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into inventory (sku, available) values (?, ?) on conflict (sku) do update"
                    + " set available = excluded.available, reserved = 0")) {
      for (Map.Entry<String, Integer> e : stock.entrySet()) {
        ps.setString(1, skuRun + e.getKey());
        ps.setInt(2, e.getValue());
        ps.executeUpdate();
      }
    }
  }

  /**
   * The side's oversell check: per SKU, available + reserved is the stock, available never below
   * zero, reserved equal to the side's reservation rows; and one decision row per decided order.
   */
  private static Side checked(
      Side side,
      DataSource dataSource,
      String prefix,
      String skuRun,
      Map<String, Integer> stock,
      long reruns)
      throws SQLException {
    long broken = 0;
    try (Connection c = dataSource.getConnection()) {
      for (Map.Entry<String, Integer> e : stock.entrySet()) {
        String sku = skuRun + e.getKey();
        try (PreparedStatement ps =
            c.prepareStatement(
                "select i.available, i.reserved, (select coalesce(sum(quantity), 0) from"
                    + " reservations r where r.sku = i.sku and r.order_id like ? and r.released_at"
                    + " is null) from inventory i where i.sku = ?")) {
          ps.setString(1, prefix + "-%");
          ps.setString(2, sku);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            long available = rs.getLong(1);
            long reserved = rs.getLong(2);
            long rows = rs.getLong(3);
            broken +=
                Math.abs(e.getValue() - available - reserved)
                    + Math.abs(reserved - rows)
                    + Math.max(0, -available);
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("select count(*) from inventory_orders where order_id like ?")) {
        ps.setString(1, prefix + "-%");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          broken += Math.abs(rs.getLong(1) - side.decided());
        }
      }
    }
    return new Side(
        side.label(),
        side.rate(),
        side.p50Ms(),
        side.p99Ms(),
        side.p999Ms(),
        side.decided(),
        side.reserved(),
        side.gaveUp(),
        reruns,
        broken);
  }

  private static double percentile(long[] nanos, double q) {
    long[] sorted = Arrays.stream(nanos).filter(n -> n > 0).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return Math.round(sorted[Math.max(0, index)] / 1e4) / 100.0;
  }

  private void write(List<Row> rows) throws Exception {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Row worst = rows.stream().min((a, b) -> Double.compare(a.ratio(), b.ratio())).orElseThrow();
    ObjectNode root = json.createObjectNode();
    root.put("path", "reservations");
    root.put(
        "title",
        "Reservations end to end (OrderCreated in, transaction, decision out) against the same SQL"
            + " in plain JDBC");
    root.put(
        "goal",
        ">= 0.5x the same SQL in plain JDBC at the same isolation and contention, for each"
            + " isolation x locking combination");
    root.put("goalRatio", 0.5);
    root.set("hub", side(json, worst.hub(), "decisions/s"));
    root.set("baseline", side(json, worst.baseline(), "reservations/s"));
    root.put("ratio", round(worst.ratio()));
    ArrayNode table = root.putArray("rows");
    for (Row row : rows) {
      ObjectNode r = table.addObject();
      r.put("name", row.name());
      r.put("hubRate", round(row.hub().rate()));
      r.put("baselineRate", round(row.baseline().rate()));
      r.put("ratio", round(row.ratio()));
      r.put("goalRatio", 0.5);
      r.put("unit", "reservations/s");
      r.put("hubP99Ms", row.hub().p99Ms());
      r.put("baselineP99Ms", row.baseline().p99Ms());
      r.put("hubReruns", row.hub().reruns());
      r.put("baselineReruns", row.baseline().reruns());
      r.put("hubReserved", row.hub().reserved());
      r.put("baselineReserved", row.baseline().reserved());
      r.put("hubGaveUp", row.hub().gaveUp());
      r.put("baselineGaveUp", row.baseline().gaveUp());
      r.put("hubOversold", row.hub().oversold());
      r.put("baselineOversold", row.baseline().oversold());
    }
    root.putArray("curve");
    ArrayNode notesNode = root.putArray("notes");
    notesNode.add(
        String.format(
            Locale.ROOT,
            "headline: the worst combination (%s); hub and baseline figures are that row's",
            worst.name()));
    notesNode.add(
        String.format(
            Locale.ROOT,
            "%d orders per side and combination, 1-3 lines over %d hot SKUs (1-2 units a line,"
                + " seed 13), stock 90 %% of the demand per SKU (the last orders sell out);"
                + " baseline %d threads on the hub's own pool; hub: the inventory routes only,"
                + " orders.events with %s partitions",
            orders,
            HOT_SKUS,
            threads,
            System.getProperty("hub.kafka.partitions", "6")));
    notesNode.add(
        "oversold (must be 0): per SKU, stock - available - reserved, reserved - reservation rows,"
            + " units below zero, and decision rows - orders decided; hub latency is send to"
            + " decision read, baseline latency one reservation with its reruns");
    notesNode.add(
        String.format(
            Locale.ROOT,
            "%d cores, load average %.1f at the end (a shared machine: figures 3-5x slower than"
                + " idle)",
            Runtime.getRuntime().availableProcessors(),
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()));
    notes.forEach(notesNode::add);
    root.put("quick", quick);
    Path file = Path.of("target/bench/reservations.json");
    Files.createDirectories(file.getParent());
    json.writeValue(file.toFile(), root);
    System.out.println(
        "Written: "
            + file
            + " (worst ratio "
            + round(worst.ratio())
            + ", "
            + rows.stream()
                .map(r -> r.name() + " " + round(r.ratio()))
                .collect(Collectors.joining("; "))
            + ")");
  }

  private static ObjectNode side(ObjectMapper json, Side side, String unit) {
    ObjectNode node = json.createObjectNode();
    node.put("label", side.label());
    node.put("rate", round(side.rate()));
    node.put("unit", unit);
    node.put("p50Ms", side.p50Ms());
    node.put("p99Ms", side.p99Ms());
    node.put("p999Ms", side.p999Ms());
    return node;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  /** Only what matters on the console: Camel, the engines and the routes at WARN. */
  private static void quiet() {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.eventhub")).setLevel(Level.WARN);
  }
}
