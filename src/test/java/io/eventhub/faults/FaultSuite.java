package io.eventhub.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.App;
import io.eventhub.engines.StandaloneKafkaBroker;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Fixtures;
import io.eventhub.support.Http;
import io.eventhub.support.Signatures;
import io.eventhub.support.StandalonePostgres;
import io.eventhub.support.TestEngines;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault suite: Kafka (the standalone broker command) and PostgreSQL (the embedded binaries,
 * restartable on the same data folder and port) as processes of their own, two hub processes side
 * by side, and a load generator sending orders with their payments through intake and signed
 * callbacks at a steady rate, while faults happen: hubs killed with SIGKILL and restarted, the
 * broker restarted, PostgreSQL stopped for a while, one instance killed for good. Then the checks:
 * every acknowledged order decided (CONFIRMED, or CANCELLED with a reason), none stuck; one
 * reservation per order; shipping called once per order (distinct Idempotency-Keys); stock
 * conserved; dead letters listed and explained; redeliveries the inbox absorbed.
 *
 * <p>{@code mvn -q test-compile exec:java@fault-suite [-Dfaults.quick=true]} runs it and writes
 * docs/RELIABILITY.md; {@code FaultSuiteIT} runs the quick plan in {@code mvn verify}.
 */
public final class FaultSuite implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FaultSuite.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = "whsec_" + "ZmF1bHQtc3VpdGUtc2VjcmV0LWZvci10ZXN0cw==";
  static final List<String> SKUS = List.of("FS-MUG", "FS-CAP", "FS-TEE", "FS-PEN");
  static final int INITIAL_STOCK = 1_000_000;

  /** What to do: the load's rate and length, and the faults in order. */
  public record Plan(
      String name,
      int ordersPerSecond,
      Duration load,
      List<Fault> faults,
      Duration databaseOutage,
      Duration settle) {

    public static Plan quick() {
      return new Plan(
          "quick",
          4,
          Duration.ofSeconds(70),
          List.of(Fault.KILL_HUB, Fault.RESTART_BROKER, Fault.STOP_DATABASE),
          Duration.ofSeconds(15),
          Duration.ofSeconds(240));
    }

    public static Plan full() {
      return new Plan(
          "full",
          5,
          Duration.ofSeconds(240),
          List.of(
              Fault.KILL_HUB,
              Fault.RESTART_BROKER,
              Fault.KILL_HUB,
              Fault.STOP_DATABASE,
              Fault.KILL_HUB,
              Fault.KILL_HUB_FOR_GOOD),
          Duration.ofSeconds(30),
          Duration.ofSeconds(300));
    }
  }

  public enum Fault {
    KILL_HUB("SIGKILL a hub, restart it"),
    RESTART_BROKER("restart the Kafka broker"),
    STOP_DATABASE("stop PostgreSQL"),
    KILL_HUB_FOR_GOOD("SIGKILL a hub for good");

    final String description;

    Fault(String description) {
      this.description = description;
    }
  }

  /** One fault as it happened: its window and what the load did meanwhile. */
  public record Window(
      String fault, Instant start, Instant recovered, long sent, long acknowledged) {
    long recoveryMillis() {
      return Duration.between(start, recovered).toMillis();
    }
  }

  /**
   * What became of the orders sent during one fault: acknowledged (202, at once or on a retry),
   * decided (processed), shipping calls beyond one per order (duplicated effects), and dead letters
   * of their events.
   */
  public record FaultResult(
      Window window, long acknowledged, long processed, long duplicated, long deadLetters) {}

  /** What the suite found. */
  public record Report(
      Plan plan,
      Instant started,
      Duration took,
      long sent,
      long acknowledged,
      long decided,
      Map<String, Long> outcomes,
      List<String> stuck,
      long ordersWithoutOneDecision,
      long shippingOrders,
      long shippingCalls,
      long shippingDistinctKeys,
      Map<String, String> stock,
      boolean stockConserved,
      Map<String, List<String>> deadLetters,
      long inboxAbsorbed,
      List<FaultResult> faults,
      List<String> failures) {

    public boolean passed() {
      return failures.isEmpty();
    }
  }

  private final Plan plan;
  private final Path work;
  private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private final int kafkaPort = TestEngines.freePort();
  private final int controllerPort = TestEngines.freePort();
  private final int dbPort = TestEngines.freePort();
  private final FakeService outside = new FakeService();
  private final List<Hub> hubs = new ArrayList<>();
  private Process broker;
  private Process postgres;
  private final List<Process> everything = new CopyOnWriteArrayList<>();

  // the load: every order the generator made, and what intake and the callback answered
  private final Map<String, Order> orders = new ConcurrentHashMap<>();
  private final AtomicInteger sent = new AtomicInteger();
  private final ScheduledExecutorService load = Executors.newScheduledThreadPool(16);

  private static final class Order {
    final String orderId;
    final String eventId;
    final String body;
    final Instant sentAt = Instant.now();
    volatile boolean acknowledged;
    volatile boolean paid;
    volatile int attempts;

    Order(String orderId, String eventId, String body) {
      this.orderId = orderId;
      this.eventId = eventId;
      this.body = body;
    }
  }

  private final class Hub {
    final String name;
    final int port = TestEngines.freePort();
    Process process;
    volatile boolean alive;

    Hub(String name) {
      this.name = name;
    }

    String url(String path) {
      return "http://127.0.0.1:" + port + path;
    }
  }

  public FaultSuite(Plan plan, Path work) throws IOException {
    this.plan = plan;
    this.work = work;
    Files.createDirectories(work);
  }

  /** Runs the plan and checks; the report. */
  public Report run() throws Exception {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    startBroker();
    startPostgres();
    hubs.add(new Hub("hub-a"));
    hubs.add(new Hub("hub-b"));
    for (Hub hub : hubs) {
      startHub(hub);
    }
    for (Hub hub : hubs) {
      awaitReady(hub, Duration.ofSeconds(180));
    }
    for (String sku : SKUS) {
      HttpResponse<String> put =
          Http.put(
              hubs.get(0).url("/api/inventory/" + sku),
              "application/json",
              "{\"available\": " + INITIAL_STOCK + "}");
      if (put.statusCode() / 100 != 2) {
        throw new IllegalStateException("stock of " + sku + ": " + put.statusCode());
      }
    }
    LOG.info("Fault suite ({}): engines and two hubs up; load starts", plan.name());
    long periodMicros = 1_000_000L / plan.ordersPerSecond();
    var generator =
        load.scheduleAtFixedRate(this::sendOrder, 0, periodMicros, TimeUnit.MICROSECONDS);

    List<Window> windows = new ArrayList<>();
    long loadEnd = System.nanoTime() + plan.load().toNanos();
    long gap = plan.load().toNanos() / (plan.faults().size() + 1);
    int killed = 0;
    for (int i = 0; i < plan.faults().size(); i++) {
      awaitNanos(t0Load(loadEnd, plan.load()) + gap * (i + 1));
      Fault fault = plan.faults().get(i);
      boolean hubFault = fault == Fault.KILL_HUB || fault == Fault.KILL_HUB_FOR_GOOD;
      Hub victim = liveHubs().get((hubFault ? killed++ : 0) % liveHubs().size());
      windows.add(inject(fault, victim));
    }
    awaitNanos(loadEnd);
    generator.cancel(false);
    LOG.info("Fault suite: load done ({} orders sent); waiting for every order to settle", sent);
    long settleEnd = System.nanoTime() + plan.settle().toNanos();
    // an order not acknowledged yet is still being sent again by the generator's retries
    poll(
        () -> orders.values().stream().allMatch(o -> o.acknowledged && o.paid || o.attempts > 40),
        settleEnd);
    poll(() -> undecided().isEmpty() && shippingPending() == 0, settleEnd);
    load.shutdownNow();
    Report report = check(started, Duration.ofNanos(System.nanoTime() - t0), windows);
    LOG.info("Fault suite: {}", report.passed() ? "passed" : "FAILED " + report.failures());
    return report;
  }

  private static long t0Load(long loadEnd, Duration load) {
    return loadEnd - load.toNanos();
  }

  private Window inject(Fault fault, Hub victim) throws Exception {
    Instant start = Instant.now();
    int sentBefore = sent.get();
    long ackBefore = acknowledged();
    LOG.info("Fault suite: {}", fault.description);
    switch (fault) {
      case KILL_HUB -> {
        kill(victim);
        startHub(victim);
        awaitReady(victim, Duration.ofSeconds(180));
      }
      case KILL_HUB_FOR_GOOD -> {
        kill(victim);
        // the survivor takes the dead one's partitions and leased rows
        awaitFirstAcknowledgedAfter(Instant.now(), Duration.ofSeconds(120));
      }
      case RESTART_BROKER -> {
        stop(broker);
        startBroker();
        awaitFirstAcknowledgedAfter(Instant.now(), Duration.ofSeconds(120));
      }
      case STOP_DATABASE -> {
        stop(postgres);
        long downUntil = System.nanoTime() + plan.databaseOutage().toNanos();
        Hub probe = liveHubs().get(0);
        Duration seenDown = timeUntil(() -> !ready(probe), Duration.ofSeconds(20));
        LOG.info("Fault suite: readiness of {} DOWN after {} ms", probe.name, seenDown.toMillis());
        awaitNanos(downUntil);
        startPostgres();
        for (Hub hub : liveHubs()) {
          awaitReady(hub, Duration.ofSeconds(60));
        }
      }
    }
    Instant recovered = Instant.now();
    boolean hubFault = fault == Fault.KILL_HUB || fault == Fault.KILL_HUB_FOR_GOOD;
    return new Window(
        fault.description + (hubFault ? " (" + victim.name + ")" : ""),
        start,
        recovered,
        sent.get() - sentBefore,
        acknowledged() - ackBefore);
  }

  // ---- the load --------------------------------------------------------------------------------

  private void sendOrder() {
    String[] event = Events.orderCreated(pick(), pickOther());
    String orderId;
    try {
      orderId = JSON.readTree(event[1]).at("/data/orderId").asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Order order = new Order(orderId, event[0], event[1]);
    orders.put(orderId, order);
    sent.incrementAndGet();
    // on a thread of its own: a slow or refused request does not hold the steady rate back
    load.execute(() -> attempt(order));
  }

  private String pick() {
    return SKUS.get((int) (Math.random() * 2));
  }

  private String pickOther() {
    return SKUS.get(2 + (int) (Math.random() * 2));
  }

  /** Sends what of the order is not acknowledged yet; again later if a hub refused or was down. */
  private void attempt(Order order) {
    order.attempts++;
    List<Hub> live = liveHubs();
    if (!live.isEmpty()) {
      Hub hub = live.get(order.attempts % live.size());
      try {
        if (!order.acknowledged) {
          HttpResponse<String> answer =
              Http.post(hub.url("/api/events"), "application/cloudevents+json", order.body);
          order.acknowledged = answer.statusCode() == 202;
        }
        if (order.acknowledged && !order.paid) {
          String body =
              Fixtures.callback(
                  "payment.succeeded",
                  "gw-" + order.orderId,
                  "pay-" + order.orderId,
                  order.orderId);
          HttpResponse<String> answer =
              Http.post(
                  hub.url("/callbacks/payments"),
                  "application/json",
                  body,
                  Signatures.stripeHeaderNow(SECRET, body));
          order.paid = answer.statusCode() / 100 == 2;
        }
      } catch (RuntimeException e) {
        // the hub is down or restarting: sent again below
      }
    }
    if ((!order.acknowledged || !order.paid) && order.attempts <= 40 && !load.isShutdown()) {
      load.schedule(() -> attempt(order), 500, TimeUnit.MILLISECONDS);
    }
  }

  private long acknowledged() {
    return orders.values().stream().filter(o -> o.acknowledged).count();
  }

  // ---- the checks ------------------------------------------------------------------------------

  private List<String> undecided() {
    List<String> ids = ackedIds();
    if (ids.isEmpty()) {
      return List.of();
    }
    try {
      Map<String, String> status = statuses(ids);
      return ids.stream()
          .filter(id -> !Set.of("CONFIRMED", "CANCELLED").contains(status.get(id)))
          .toList();
    } catch (Exception e) {
      return ids;
    }
  }

  private long shippingPending() {
    Set<String> keys =
        outside.calls().stream()
            .filter(c -> c.path().startsWith("/shipping") && c.answered() / 100 == 2)
            .map(FakeService.Call::eventId)
            .collect(Collectors.toSet());
    return orders.values().stream()
        .filter(o -> o.acknowledged && !keys.contains(o.eventId))
        .count();
  }

  private List<String> ackedIds() {
    return orders.values().stream().filter(o -> o.acknowledged).map(o -> o.orderId).toList();
  }

  private Report check(Instant started, Duration took, List<Window> windows) throws Exception {
    List<String> failures = new ArrayList<>();
    List<String> ids = ackedIds();
    Map<String, String> status = statuses(ids);
    Map<String, Long> outcomes = new TreeMap<>();
    List<String> stuck = new ArrayList<>();
    long decided = 0;
    try (Connection db = database()) {
      for (String id : ids) {
        String s = status.get(id);
        if ("CONFIRMED".equals(s) || "CANCELLED".equals(s)) {
          decided++;
          String reason = reasonOf(db, id);
          if ("CANCELLED".equals(s) && (reason == null || reason.isBlank())) {
            failures.add("order " + id + " CANCELLED without a reason");
          }
          outcomes.merge(s + (reason == null ? "" : " " + reason), 1L, Long::sum);
        } else {
          stuck.add(id + " " + s);
        }
      }
      if (!stuck.isEmpty()) {
        failures.add(stuck.size() + " acknowledged orders not decided: " + head(stuck));
      }
      long withoutOneDecision =
          count(
              db,
              "select count(*) from unnest(?::text[]) as o(id)"
                  + " where (select count(*) from inventory_orders i where i.order_id = o.id) <> 1",
              ids);
      if (withoutOneDecision > 0) {
        failures.add(withoutOneDecision + " orders without exactly one inventory decision");
      }
      long wrongHolds =
          count(
              db,
              "select count(*) from inventory_orders i where i.order_id = any(?::text[])"
                  + " and i.status = 'RESERVED' and (select coalesce(sum(quantity), 0)"
                  + " from reservations r where r.order_id = i.order_id) <> 3",
              ids);
      if (wrongHolds > 0) {
        failures.add(wrongHolds + " reserved orders hold other than their 3 units");
      }
      Map<String, String> stock = new TreeMap<>();
      boolean conserved = true;
      for (String sku : SKUS) {
        try (PreparedStatement ps =
            db.prepareStatement("select available, reserved from inventory where sku = ?")) {
          ps.setString(1, sku);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            int available = rs.getInt(1);
            int reserved = rs.getInt(2);
            long held =
                count(
                    db,
                    "select coalesce(sum(quantity), 0) from reservations"
                        + " where sku = ? and released_at is null",
                    sku);
            stock.put(
                sku,
                "initial "
                    + INITIAL_STOCK
                    + " = available "
                    + available
                    + " + reserved "
                    + reserved
                    + " (open reservations "
                    + held
                    + ")");
            if (available + reserved != INITIAL_STOCK || reserved != held) {
              conserved = false;
            }
          }
        }
      }
      if (!conserved) {
        failures.add("stock not conserved: " + stock);
      }
      List<FakeService.Call> shipping =
          outside.calls().stream()
              .filter(c -> c.path().startsWith("/shipping") && c.answered() / 100 == 2)
              .toList();
      Set<String> ackedEvents =
          orders.values().stream()
              .filter(o -> o.acknowledged)
              .map(o -> o.eventId)
              .collect(Collectors.toSet());
      long shippingOrders =
          shipping.stream()
              .map(FakeService.Call::eventId)
              .filter(ackedEvents::contains)
              .distinct()
              .count();
      long distinctKeys =
          shipping.stream().map(FakeService.Call::idempotencyKey).distinct().count();
      if (shippingOrders != ackedEvents.size()) {
        failures.add(
            "shipping accepted " + shippingOrders + " of " + ackedEvents.size() + " orders");
      }
      Map<String, List<String>> deadLetters = deadLetters();
      deadLetters.forEach(
          (service, letters) -> {
            if (!letters.isEmpty()) {
              failures.add(letters.size() + " dead letters of " + service + ": " + head(letters));
            }
          });
      List<FaultResult> perFault = new ArrayList<>();
      for (Window w : windows) {
        Set<String> events = new HashSet<>();
        long processed = 0;
        for (Order o : orders.values()) {
          if (o.acknowledged && !o.sentAt.isBefore(w.start()) && !o.sentAt.isAfter(w.recovered())) {
            events.add(o.eventId);
            String s = status.get(o.orderId);
            if ("CONFIRMED".equals(s) || "CANCELLED".equals(s)) {
              processed++;
            }
          }
        }
        List<FakeService.Call> calls =
            shipping.stream().filter(c -> events.contains(c.eventId())).toList();
        long duplicated =
            calls.size() - calls.stream().map(FakeService.Call::idempotencyKey).distinct().count();
        long letters =
            deadLetters.values().stream()
                .flatMap(List::stream)
                .filter(letter -> events.contains(letter.substring(0, letter.indexOf(' '))))
                .count();
        perFault.add(new FaultResult(w, events.size(), processed, duplicated, letters));
      }
      return new Report(
          plan,
          started,
          took,
          sent.get(),
          ids.size(),
          decided,
          outcomes,
          stuck,
          withoutOneDecision,
          shippingOrders,
          shipping.size(),
          distinctKeys,
          stock,
          conserved,
          deadLetters,
          inboxAbsorbed(),
          perFault,
          failures);
    }
  }

  private Map<String, String> statuses(List<String> ids) throws Exception {
    Map<String, String> status = new LinkedHashMap<>();
    try (Connection db = database();
        PreparedStatement ps =
            db.prepareStatement(
                "select order_id, status from orders where order_id = any(?::text[])")) {
      ps.setArray(1, db.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          status.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return status;
  }

  private static String reasonOf(Connection db, String orderId) throws Exception {
    try (PreparedStatement ps =
        db.prepareStatement("select reason from orders where order_id = ?")) {
      ps.setString(1, orderId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static long count(Connection db, String sql, Object parameter) throws Exception {
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      if (parameter instanceof List<?> list) {
        ps.setArray(1, db.createArrayOf("text", list.toArray()));
      } else {
        ps.setObject(1, parameter);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Every service's dead letters, each with its reason, as a surviving hub lists them. */
  private Map<String, List<String>> deadLetters() throws Exception {
    Map<String, List<String>> all = new TreeMap<>();
    Hub hub = liveHubs().get(0);
    for (String service :
        List.of("inventory", "order-saga", "shipping", "cache-sync", "analytics", "notification")) {
      List<String> letters = new ArrayList<>();
      String next = null;
      do {
        HttpResponse<String> page =
            Http.get(
                hub.url(
                    "/api/dlq/"
                        + service
                        + "?limit=1000"
                        + (next == null ? "" : "&after=" + next)));
        JsonNode body = JSON.readTree(page.body());
        for (JsonNode record : body.path("records")) {
          letters.add(
              record.path("eventId").asText()
                  + " "
                  + record.path("type").asText()
                  + ": "
                  + record.path("reason").asText());
        }
        next = body.hasNonNull("next") ? body.get("next").asText() : null;
      } while (next != null);
      all.put(service, letters);
    }
    return all;
  }

  /** Redeliveries the order saga's inbox skipped, from the hubs' logs. */
  private long inboxAbsorbed() throws IOException {
    long absorbed = 0;
    try (var logs = Files.list(work)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          if (line.contains("seen before: skipped (inbox)")) {
            absorbed++;
          }
        }
      }
    }
    return absorbed;
  }

  // ---- the processes ---------------------------------------------------------------------------

  private void startBroker() throws Exception {
    broker =
        start(
            "kafka",
            StandaloneKafkaBroker.class.getName(),
            Map.of(
                "hub.kafka.embedded.data-dir", work.resolve("kafka").toString(),
                "hub.kafka.embedded.host", "127.0.0.1",
                "hub.kafka.embedded.port", String.valueOf(kafkaPort),
                "hub.kafka.embedded.controller-port", String.valueOf(controllerPort),
                "hub.kafka.partitions", "3"));
    awaitPort(kafkaPort, Duration.ofSeconds(60));
  }

  private void startPostgres() throws Exception {
    postgres =
        start(
            "postgres",
            StandalonePostgres.class.getName(),
            Map.of(
                "hub.db.embedded.data-dir", work.resolve("postgres").toString(),
                "hub.db.embedded.port", String.valueOf(dbPort)));
    awaitPort(dbPort, Duration.ofSeconds(60));
  }

  private void startHub(Hub hub) throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("hub.http.port", String.valueOf(hub.port));
    p.put("camel.component.kafka.brokers", "127.0.0.1:" + kafkaPort);
    p.put("hub.db.url", jdbcUrl());
    p.put("hub.db.user", "postgres");
    p.put("hub.kafka.partitions", "3");
    // the route files of the working tree (the class path may hold the packaged jar as well)
    p.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml");
    p.put("hub.services.shipping.url", outside.url("/shipping"));
    p.put("hub.services.payments.url", outside.url("/payments/refunds"));
    p.put("hub.services.notification.url", outside.url("/notification"));
    p.put("hub.services.recommendation.url", outside.url("/recommendation"));
    p.put("hub.services.push.url", outside.url("/push"));
    p.put("hub.callbacks.payments.secret", SECRET);
    p.put("hub.security.clients", "test");
    p.put("hub.security.tokens.test.token", Http.TEST_TOKEN);
    p.put("hub.security.tokens.test.roles", "admin");
    p.put("hub.orders.payment-timeout", "10m");
    p.put("hub.orders.relay-period-ms", "1000");
    p.put("hub.orders.relay-after-ms", "3000");
    p.put("hub.inventory.relay-period-ms", "1000");
    p.put("hub.inventory.relay-after-ms", "3000");
    p.put("hub.relay.lease-ms", "10000");
    hub.process = start(hub.name, App.class.getName(), p);
    hub.alive = true;
  }

  private Process start(String name, String mainClass, Map<String, String> properties)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx384m");
    command.add("-cp");
    command.add(classPath());
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add(mainClass);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(new File(work.toFile(), name + ".log")))
            .start();
    everything.add(process);
    return process;
  }

  /** The test class path: the JVM's, or the class loader's under exec:java. */
  private static String classPath() {
    if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader
        && loader.getURLs().length > 1) {
      List<String> entries = new ArrayList<>();
      for (URL url : loader.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IllegalStateException(e);
        }
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }

  private void kill(Hub hub) throws InterruptedException {
    hub.alive = false;
    hub.process.destroyForcibly();
    hub.process.waitFor();
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private List<Hub> liveHubs() {
    return hubs.stream().filter(h -> h.alive).toList();
  }

  private String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + dbPort + "/postgres";
  }

  private Connection database() throws Exception {
    return DriverManager.getConnection(jdbcUrl(), "postgres", "");
  }

  private boolean ready(Hub hub) {
    try {
      HttpResponse<String> health = Http.get(hub.url("/observe/health"));
      return health.statusCode() == 200 && health.body().contains("UP");
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void awaitReady(Hub hub, Duration within) {
    poll(() -> ready(hub), System.nanoTime() + within.toNanos());
    if (!ready(hub)) {
      throw new IllegalStateException(hub.name + " not ready within " + within);
    }
  }

  private void awaitFirstAcknowledgedAfter(Instant after, Duration within) {
    poll(
        () -> orders.values().stream().anyMatch(o -> o.acknowledged && o.sentAt.isAfter(after)),
        System.nanoTime() + within.toNanos());
  }

  private static void awaitPort(int port, Duration within) {
    poll(
        () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
          } catch (IOException e) {
            return false;
          }
        },
        System.nanoTime() + within.toNanos());
  }

  private static Duration timeUntil(BooleanSupplier condition, Duration within) {
    long start = System.nanoTime();
    poll(condition, start + within.toNanos());
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Checks the condition every 200 ms until it holds or the deadline passed. */
  private static void poll(BooleanSupplier condition, long deadlineNanos) {
    while (!condition.getAsBoolean() && System.nanoTime() < deadlineNanos) {
      awaitNanos(Math.min(deadlineNanos, System.nanoTime() + 200_000_000L));
    }
  }

  private static void awaitNanos(long deadlineNanos) {
    long left;
    while ((left = deadlineNanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private static String head(List<String> items) {
    return items.stream().limit(5).collect(Collectors.joining("; "))
        + (items.size() > 5 ? " ..." : "");
  }

  @Override
  public void close() {
    load.shutdownNow();
    for (Process process : everything) {
      if (process.isAlive()) {
        process.destroy();
        try {
          if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    outside.close();
  }
}
