package io.eventhub.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventhub.delivery.EventIdentity;
import io.eventhub.engines.Topics;
import io.eventhub.intake.CloudEvents;
import io.eventhub.intake.EventCatalog;
import io.eventhub.json.StrictJson;
import io.eventhub.support.Events;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;

/**
 * Fan-out: OrderCreated records already on orders.events, delivered to a stand-in shipping service
 * that answers 200 at once. (a) The baseline: a single-thread kafka-clients loop (poll, POST each
 * record with its Idempotency-Key, commitSync). (b) The whole hub running (inventory and the order
 * saga consume the same topic, as in production) draining the same records to shipping. Same
 * broker, same records, separate consumer groups. Measured twice: cold (both just started) and
 * warm, the headline (a second batch of records written while the hub's consumers of the topic are
 * stopped, drained by the loop, then by the hub started again). Run with {@code mvn -q test-compile
 * exec:java@bench-fanout} ({@code -Dbench.quick=true}: 2,000 records instead of 10,000; {@code
 * -Dbench.hub.properties=k=v;k=v} for properties on top of the hub's, to measure a lever); writes
 * target/bench/fan-out.json.
 */
public final class FanoutBenchmark {

  private static final String TOPIC = "orders.events";

  private FanoutBenchmark() {}

  /** The stand-in shipping service: every call answered 200 at once, new keys timed per path. */
  static final class StandIn implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    static final class Tally {
      final Set<String> keys = ConcurrentHashMap.newKeySet();
      final AtomicLong calls = new AtomicLong();
      volatile long first;
      volatile long last;

      /** Times only keys that arrive from now on (the calls and keys so far stay counted). */
      synchronized void restart() {
        first = 0;
        last = 0;
      }
    }

    StandIn() throws IOException {
      System.setProperty("sun.net.httpserver.nodelay", "true");
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::handle);
      server.setExecutor(Executors.newFixedThreadPool(8));
      server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
      exchange.getRequestBody().readAllBytes();
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      Tally tally = tallies.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new Tally());
      tally.calls.incrementAndGet();
      if (key != null && tally.keys.add(key)) {
        long now = System.nanoTime();
        synchronized (tally) {
          if (tally.first == 0) {
            tally.first = now;
          }
          tally.last = Math.max(tally.last, now);
        }
      }
      byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, reply.length);
      exchange.getResponseBody().write(reply);
      exchange.close();
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    Tally tally(String path) {
      return tallies.computeIfAbsent(path, p -> new Tally());
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  public static void main(String[] args) throws Exception {
    boolean quick = Boolean.getBoolean("bench.quick");
    int records = Integer.getInteger("bench.records", quick ? 2000 : 10000);
    TestEngines.start();
    String brokers = TestEngines.brokers();
    Topics.ensure(brokers, List.of(TOPIC), List.of(), 6, (short) 1);
    stock(3 * records);
    produce(brokers, records);

    List<String> notes = new ArrayList<>();
    try (StandIn shipping = new StandIn()) {
      // cold: the records drained by the loop just started, then by the hub just started
      double coldBaseline = baseline(brokers, shipping, records);
      System.out.printf(Locale.ROOT, "baseline, cold: %.0f events/s%n", coldBaseline);

      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("hub.services.shipping.url", shipping.url("/hub"));
      String extra = System.getProperty("bench.hub.properties", "");
      for (String pair : extra.split(";")) {
        if (pair.contains("=")) {
          properties.put(
              pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
      }
      StandIn.Tally tally = shipping.tally("/hub");
      long started = System.nanoTime();
      double coldHub;
      double wall;
      double hub;
      double baseline;
      double besideBaseline;
      String hubJit;
      String besideJit;
      String baselineJit;
      Jit jit = new Jit();
      try (HubRunner runner = new HubRunner(properties)) {
        await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> tally.keys.size() >= records);
        coldHub = records / ((tally.last - tally.first) / 1e9);
        wall = (tally.last - started) / 1e9;
        System.out.printf(
            Locale.ROOT, "hub, cold: %.0f events/s (%.1f s from start)%n", coldHub, wall);
        // warm: the same again with both sides past their start (JIT, group joins), the hub's
        // consumers of the topic stopped while the next records are written and the loop drains
        // them
        List<String> consumers = consumersOf(runner.context());
        awaitCaughtUp(brokers);
        for (String route : consumers) {
          runner.context().getRouteController().stopRoute(route);
        }
        produce(brokers, records);
        jit.lap();
        baseline = baseline(brokers, shipping, records);
        baselineJit = jit.lap();
        System.out.printf(Locale.ROOT, "baseline, warm: %.0f events/s%n", baseline);
        tally.restart();
        jit.lap();
        for (String route : consumers) {
          runner.context().getRouteController().startRoute(route);
        }
        await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> tally.keys.size() >= 2 * records);
        hub = records / ((tally.last - tally.first) / 1e9);
        hubJit = jit.lap();
        System.out.printf(Locale.ROOT, "hub, warm: %.0f events/s%n", hub);
        // the loop beside the same background: the next records drained by the loop while the
        // hub's inventory and order saga take them too (shipping stopped), as they did while the
        // hub's shipping took the warm batch; shipping drains them afterwards, not timed
        awaitCaughtUp(brokers);
        for (String route : consumers) {
          runner.context().getRouteController().stopRoute(route);
        }
        produce(brokers, records);
        jit.lap();
        for (String route : consumers) {
          if (!route.startsWith("shipping")) {
            runner.context().getRouteController().startRoute(route);
          }
        }
        besideBaseline = baseline(brokers, shipping, records);
        besideJit = jit.lap();
        System.out.printf(
            Locale.ROOT, "baseline, beside inventory and saga: %.0f events/s%n", besideBaseline);
        for (String route : consumers) {
          runner.context().getRouteController().startRoute(route);
        }
        awaitCaughtUp(brokers);
      }
      notes.add(
          records
              + " OrderCreated records on "
              + TOPIC
              + " (6 partitions) before either consumer starts, written as intake writes them;"
              + " each order asks for two of "
              + SKUS
              + " SKUs, all in stock, so inventory reserves every order and the saga waits for"
              + " its payment; the stand-in answers 200 at once");
      notes.add(
          String.format(
              Locale.ROOT,
              "warm (the headline): after both drained a first %d records, the hub's consumers"
                  + " of %s (shipping, inventory, the order saga) stopped once every group had"
                  + " caught up, %d more records written, drained by the loop, then by the hub"
                  + " with its consumers started again; cold: the first %d, by the loop just"
                  + " started and by the hub just started (%.0f against %.0f events/s, %.2fx)",
              records,
              TOPIC,
              records,
              records,
              coldHub,
              coldBaseline,
              coldHub / coldBaseline));
      notes.add(
          "baseline: one thread, kafka-clients poll (max.poll.records 500) -> java.net.http POST"
              + " of each record with Idempotency-Key -> commitSync per poll; rate from its first"
              + " POST to its last commit");
      notes.add(
          String.format(
              Locale.ROOT,
              "hub: the whole hub (every route, inventory and order saga on the same topic), in"
                  + " this JVM; rate from the first to the last new event at shipping (%.1f s"
                  + " from the hub's start to the last of the cold batch); %d calls for %d"
                  + " distinct events (the three batches it drained)",
              wall,
              tally.calls.get(),
              tally.keys.size()));
      if (!extra.isBlank()) {
        notes.add("hub properties on top: " + extra);
      }
      notes.add(
          Runtime.getRuntime().availableProcessors()
              + " cores, Java "
              + System.getProperty("java.version")
              + ", embedded Kafka and PostgreSQL in the same JVM");
      notes.add(
          String.format(
              Locale.ROOT,
              "beside the same background: after the warm batch, %d more records drained by the"
                  + " loop while the hub's inventory and order saga took them too (its shipping"
                  + " stopped, then let drain them untimed), as inventory and the saga took the"
                  + " warm batch while the hub's shipping did: %.0f against %.0f events/s, %.2fx",
              records,
              hub,
              besideBaseline,
              hub / besideBaseline));
      notes.add(
          "JIT: hub warm, "
              + hubJit
              + "; loop warm, "
              + baselineJit
              + "; loop beside the background, "
              + besideJit);
      write(hub, baseline, coldHub, coldBaseline, besideBaseline, notes, quick);
    }
    System.exit(0);
  }

  /** SKUs the orders ask for, each order two of them, spread so no row is every order's. */
  private static final int SKUS = 100;

  private static String sku(int n) {
    return "SKU-BENCH-" + (n % SKUS);
  }

  /**
   * Stock for every order the run writes (each asks for 2 of one SKU and 1 of another), written
   * before the hub starts: inventory reserves every order, as a shop with stock does, instead of
   * rejecting it (which would make the saga cancel it and put an OrderCancelled on the topic for
   * every OrderCreated). The schema is migrated here as the hub migrates it at its start.
   */
  private static void stock(int orders) throws Exception {
    Flyway.configure()
        .dataSource(TestEngines.jdbcUrl(), "postgres", "")
        .locations("classpath:db/migration")
        .load()
        .migrate();
    try (Connection db = DriverManager.getConnection(TestEngines.jdbcUrl(), "postgres", "");
        PreparedStatement insert =
            db.prepareStatement(
                "insert into inventory (sku, available) values (?, ?) on conflict (sku) do"
                    + " update set available = excluded.available, reserved = 0")) {
      for (int n = 0; n < SKUS; n++) {
        insert.setString(1, sku(n));
        insert.setInt(2, orders * 3);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** The records as intake writes them (io.eventhub.intake.CloudEvents), sent with acks=all. */
  private static void produce(String brokers, int records) throws Exception {
    ObjectMapper mapper = StrictJson.mapper();
    CloudEvents cloudEvents =
        new CloudEvents(mapper, new EventCatalog(mapper), 65536, "http://localhost/api/schemas");
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (DefaultCamelContext context = new DefaultCamelContext();
        KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < records; i++) {
        Exchange exchange = new DefaultExchange(context);
        String[] order =
            Events.orderCreated(sku(2 * i), sku(2 * i + 1)); // two SKUs of SKUS, side by side
        exchange.getMessage().setBody(order[1].getBytes(StandardCharsets.UTF_8));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, CloudEvents.STRUCTURED_MEDIA_TYPE);
        cloudEvents.toKafkaRecord(exchange);
        Map<String, Object> headers = exchange.getMessage().getHeaders();
        ProducerRecord<String, String> record =
            new ProducerRecord<>(
                (String) headers.get(KafkaConstants.OVERRIDE_TOPIC),
                (String) headers.get(KafkaConstants.KEY),
                exchange.getMessage().getBody(String.class));
        headers.forEach(
            (name, value) -> {
              if (!name.startsWith("kafka.") && !name.startsWith("Camel")) {
                record.headers().add(name, value.toString().getBytes(StandardCharsets.UTF_8));
              }
            });
        producer.send(record);
      }
      producer.flush();
    }
  }

  /** The single-thread kafka-clients loop: poll, POST each with Idempotency-Key, commitSync. */
  private static double baseline(String brokers, StandIn shipping, int records) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-baseline");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    URI uri = URI.create(shipping.url("/baseline"));
    int done = 0;
    long first = 0;
    long last = 0;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(TOPIC));
      while (done < records) {
        ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, String> record : polled) {
          if (first == 0) {
            first = System.nanoTime();
          }
          String key = EventIdentity.key(header(record, "ce_source"), header(record, "ce_id"));
          HttpResponse<Void> answer =
              http.send(
                  HttpRequest.newBuilder(uri)
                      .timeout(Duration.ofSeconds(5))
                      .header("Content-Type", "application/json")
                      .header("Idempotency-Key", key)
                      .POST(HttpRequest.BodyPublishers.ofString(record.value()))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("shipping answered " + answer.statusCode());
          }
          done++;
        }
        if (!polled.isEmpty()) {
          consumer.commitSync();
          last = System.nanoTime();
        }
      }
    }
    return records / ((last - first) / 1e9);
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void write(
      double hub,
      double baseline,
      double coldHub,
      double coldBaseline,
      double besideBaseline,
      List<String> notes,
      boolean quick)
      throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode out = json.createObjectNode();
    out.put("path", "fan-out");
    out.put("title", "Fan-out: OrderCreated to shipping, whole hub running");
    out.put("goal", ">= 0.8x the baseline");
    out.put("goalRatio", 0.8);
    out.set("hub", rate(json, "hub", hub));
    out.set("baseline", rate(json, "single-thread kafka-clients loop", baseline));
    out.put("ratio", Math.round(hub / baseline * 1000) / 1000.0);
    ArrayNode rows = out.putArray("rows");
    rows.add(row(json, "warm: both past their start (the headline)", hub, baseline));
    rows.add(row(json, "cold: the loop and the hub just started", coldHub, coldBaseline));
    rows.add(
        row(
            json,
            "warm, the loop beside the hub's inventory and saga taking the same records",
            hub,
            besideBaseline));
    ArrayNode noteArray = out.putArray("notes");
    notes.forEach(noteArray::add);
    out.put("quick", quick);
    Path file = Path.of("target", "bench", "fan-out.json");
    Files.createDirectories(file.getParent());
    json.writeValue(file.toFile(), out);
    System.out.println(json.writeValueAsString(out));
  }

  private static ObjectNode row(ObjectMapper json, String name, double hub, double baseline) {
    ObjectNode row = json.createObjectNode();
    row.put("name", name);
    row.put("hubRate", Math.round(hub * 10) / 10.0);
    row.put("baselineRate", Math.round(baseline * 10) / 10.0);
    row.put("ratio", Math.round(hub / baseline * 1000) / 1000.0);
    row.put("goalRatio", 0.8);
    row.put("unit", "events/s");
    return row;
  }

  /** The hub's routes consuming the topic (shipping, inventory, the order saga). */
  private static List<String> consumersOf(CamelContext context) {
    return context.getRoutes().stream()
        .filter(route -> route.getEndpoint().getEndpointUri().startsWith("kafka:"))
        .filter(route -> route.getEndpoint().getEndpointUri().contains(TOPIC))
        .map(Route::getRouteId)
        .toList();
  }

  /** Waits until every consumer group of the hub has read the topic to its end. */
  private static void awaitCaughtUp(String brokers) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", brokers);
    try (Admin admin = Admin.create(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < 6; p++) {
        partitions.add(new TopicPartition(TOPIC, p));
      }
      Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
      partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      await()
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Map<TopicPartition, Long> ends = new LinkedHashMap<>();
                admin
                    .listOffsets(latest)
                    .all()
                    .get()
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
                for (String group : groupsOf(admin)) {
                  Map<TopicPartition, OffsetAndMetadata> committed =
                      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                  for (TopicPartition tp : partitions) {
                    OffsetAndMetadata at = committed.get(tp);
                    if (at == null || at.offset() < ends.get(tp)) {
                      return false;
                    }
                  }
                }
                return true;
              });
    }
  }

  /** The hub's groups reading the topic (not the loop's). */
  private static List<String> groupsOf(Admin admin) throws Exception {
    List<String> groups = new ArrayList<>();
    for (var listing : admin.listConsumerGroups().all().get()) {
      String group = listing.groupId();
      if (group.equals("bench-baseline")) {
        continue;
      }
      boolean readsTopic =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get()
              .keySet()
              .stream()
              .anyMatch(tp -> tp.topic().equals(TOPIC));
      if (readsTopic) {
        groups.add(group);
      }
    }
    return groups;
  }

  private static ObjectNode rate(ObjectMapper json, String label, double rate) {
    ObjectNode node = json.createObjectNode();
    node.put("label", label);
    node.put("rate", Math.round(rate * 10) / 10.0);
    node.put("unit", "events/s");
    node.putNull("p50Ms");
    node.putNull("p99Ms");
    node.putNull("p999Ms");
    return node;
  }
}
