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
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Fan-out: OrderCreated records already on orders.events, delivered to a stand-in shipping service
 * that answers 200 at once. (a) The baseline: a single-thread kafka-clients loop (poll, POST each
 * record with its Idempotency-Key, commitSync). (b) The whole hub running (inventory and the order
 * saga consume the same topic, as in production) draining the same records to shipping. Same
 * broker, same records, separate consumer groups. Run with {@code mvn -q test-compile
 * exec:java@bench-fanout} ({@code -Dbench.quick=true}: 2,000 records instead of 10,000; {@code
 * -Dbench.hub.properties=k=v,k=v} for properties on top of the hub's, to measure a lever); writes
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
    produce(brokers, records);

    List<String> notes = new ArrayList<>();
    try (StandIn shipping = new StandIn()) {
      double baseline = baseline(brokers, shipping, records);
      System.out.printf(Locale.ROOT, "baseline: %.0f events/s%n", baseline);

      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("hub.services.shipping.url", shipping.url("/hub"));
      String extra = System.getProperty("bench.hub.properties", "");
      for (String pair : extra.split(",")) {
        if (pair.contains("=")) {
          properties.put(
              pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
      }
      StandIn.Tally tally = shipping.tally("/hub");
      long started = System.nanoTime();
      double hub;
      double wall;
      try (HubRunner runner = new HubRunner(properties)) {
        await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> tally.keys.size() >= records);
        hub = records / ((tally.last - tally.first) / 1e9);
        wall = (tally.last - started) / 1e9;
      }
      System.out.printf(Locale.ROOT, "hub: %.0f events/s (%.1f s from start)%n", hub, wall);
      notes.add(
          records
              + " OrderCreated records on "
              + TOPIC
              + " (6 partitions) before either consumer starts, written as intake writes them;"
              + " the stand-in answers 200 at once");
      notes.add(
          "baseline: one thread, kafka-clients poll (max.poll.records 500) -> java.net.http POST"
              + " of each record with Idempotency-Key -> commitSync per poll; rate from its first"
              + " POST to its last commit");
      notes.add(
          String.format(
              Locale.ROOT,
              "hub: the whole hub (every route, inventory and order saga on the same topic), in"
                  + " this JVM; rate from the first to the last new event at shipping (%.1f s"
                  + " from the hub's start to the last); %d calls for %d events",
              wall,
              tally.calls.get(),
              records));
      if (!extra.isBlank()) {
        notes.add("hub properties on top: " + extra);
      }
      notes.add(
          Runtime.getRuntime().availableProcessors()
              + " cores, Java "
              + System.getProperty("java.version")
              + ", embedded Kafka and PostgreSQL in the same JVM");
      write(hub, baseline, notes, quick);
    }
    System.exit(0);
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
        exchange.getMessage().setBody(Events.orderCreated()[1].getBytes(StandardCharsets.UTF_8));
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

  private static void write(double hub, double baseline, List<String> notes, boolean quick)
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
    ArrayNode noteArray = out.putArray("notes");
    notes.forEach(noteArray::add);
    out.put("quick", quick);
    Path file = Path.of("target", "bench", "fan-out.json");
    Files.createDirectories(file.getParent());
    json.writeValue(file.toFile(), out);
    System.out.println(json.writeValueAsString(out));
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
