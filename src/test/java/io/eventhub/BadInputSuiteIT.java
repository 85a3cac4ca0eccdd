package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.intake.EventCatalog;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.ProfileEvents;
import io.eventhub.support.RawHttp;
import io.eventhub.support.RawHttp.Request;
import io.eventhub.support.Signatures;
import io.eventhub.support.TestEngines;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bad-input suite: over 200 hostile inputs sent at every entry point of a real hub (the
 * production routes plus the dev stand-ins, on the real embedded Kafka and PostgreSQL, with the dev
 * payment secret), then a good order and a good profile update that must still flow end to end.
 *
 * <p>Each case states its expectation once, in the case tables below ({@link #httpCases()}, {@link
 * #kafkaCases()}, {@link #CONSUMERS}):
 *
 * <ul>
 *   <li>HTTP: a 4xx answer (the listed statuses, or any 4xx) with {@code application/problem+json},
 *       a body with {@code status} and {@code title}, and no stack trace. Nothing answers 5xx.
 *   <li>Kafka: each consumer of the topic either dead-letters the record into {@code
 *       <topic>.<service>.dlq} with a {@code hub_dlq_reason} that does not quote the record, or,
 *       for a known type the consumer does not handle, skips it; every consumer group commits past
 *       it (nothing lost, nothing stuck).
 * </ul>
 *
 * The test collects every failing case and fails once, listing them all, after printing a summary
 * per entry point.
 */
class BadInputSuiteIT {

  /** The token every /api/* case carries unless it is about credentials (HubRunner's admin). */
  static final String TOKEN = Http.TEST_TOKEN;

  /** A token the hub does not know. */
  static final String WRONG_TOKEN = "not-a-valid-token-" + UUID.randomUUID();

  /** A client that may only post OrderCreated and read orders ({@link #CREDENTIAL_PROPERTIES}). */
  static final String LIMITED_TOKEN = "suite-storefront-token";

  /** Hub properties that configure the credentials above: HubRunner's admin and a storefront. */
  static final Map<String, String> CREDENTIAL_PROPERTIES =
      Map.of(
          "hub.security.clients", "test,storefront",
          "hub.security.tokens.storefront.token", LIMITED_TOKEN,
          "hub.security.tokens.storefront.publish", "OrderCreated",
          "hub.security.tokens.storefront.reads", "orders");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DEV_PROFILE = Path.of("application-dev.properties");
  private static final Duration WAIT = Duration.ofSeconds(45);

  /** A marker put into record contents: it must never appear in a dead letter's reason. */
  static final String CANARY = "CanarySecret4f1e";

  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final String SKU_A = "SKU-SUITE-A-" + RUN;
  private static final String SKU_B = "SKU-SUITE-B-" + RUN;

  // ---------------------------------------------------------------------------------------------
  // Expectations
  // ---------------------------------------------------------------------------------------------

  /**
   * What an HTTP case must be answered with: a 4xx problem with one of these statuses (any if
   * empty).
   */
  record Expect(Set<Integer> statuses, boolean mayAccept) {
    static Expect problem(Integer... statuses) {
      return new Expect(new LinkedHashSet<>(List.of(statuses)), false);
    }

    static Expect anyProblem() {
      return new Expect(Set.of(), false);
    }

    /** A harmless input the hub may also take as valid (2xx, no problem body then). */
    Expect orAccepted() {
      return new Expect(statuses, true);
    }

    boolean accepts(int status) {
      return mayAccept && status / 100 == 2;
    }

    boolean allows(int status) {
      return status >= 400 && status < 500 && (statuses.isEmpty() || statuses.contains(status));
    }

    @Override
    public String toString() {
      return (statuses.isEmpty() ? "4xx problem" : statuses + " problem")
          + (mayAccept ? " or 2xx" : "");
    }
  }

  record HttpCase(String entry, String name, Request request, Expect expect) {}

  /** A Kafka consumer of the hub: its group, the service its dead letters are named after. */
  record HubConsumer(String group, String service, Set<String> topics, Set<String> handles) {}

  /** A raw record produced straight onto a consumed topic. */
  record KafkaCase(
      String topic, String name, String key, byte[] value, Map<String, String> headers) {
    String type() {
      return headers.get("ce_type");
    }
  }

  /** What one consumer must do with one record. */
  enum Outcome {
    DEAD_LETTER,
    SKIP
  }

  /**
   * The consumers of the hub's topics (routes/*-on-*.camel.yaml, routes/order-saga.camel.yaml) and
   * the types each handles. A record whose type is missing or unknown to the catalog must be
   * dead-lettered by every consumer of its topic; a known type a consumer does not handle is
   * skipped by it; a bad record of a type it handles is dead-lettered.
   */
  static final List<HubConsumer> CONSUMERS =
      List.of(
          new HubConsumer(
              "inventory-reservations",
              "inventory",
              Set.of("orders.events"),
              Set.of("OrderCreated")),
          new HubConsumer(
              "inventory-releases", "inventory", Set.of("orders.events"), Set.of("OrderCancelled")),
          new HubConsumer("shipping", "shipping", Set.of("orders.events"), Set.of("OrderCreated")),
          new HubConsumer(
              "order-saga",
              "order-saga",
              Set.of("orders.events", "inventory.events", "payments.events"),
              Set.of(
                  "OrderCreated",
                  "InventoryReserved",
                  "InventoryRejected",
                  "PaymentSucceeded",
                  "PaymentFailed")),
          new HubConsumer(
              "notification", "notification", Set.of("users.events"), Set.of("UserProfileUpdated")),
          new HubConsumer(
              "recommendation",
              "recommendation",
              Set.of("users.events"),
              Set.of("UserProfileUpdated")),
          new HubConsumer(
              "analytics", "analytics", Set.of("users.events"), Set.of("UserProfileUpdated")),
          new HubConsumer(
              "file-tasks", "file-tasks", Set.of("files.events"), Set.of("FileUploaded")),
          new HubConsumer(
              "file-processor",
              "file-processor",
              Set.of("files.tasks"),
              Set.of("FileTaskRequested")),
          new HubConsumer(
              "{{hub.cache.sync.group-id}}",
              "cache-sync",
              Set.of("users.events"),
              Set.of("UserProfileUpdated")));

  /** The event types of schemas/catalog.json: the types the hub knows. */
  static final Set<String> KNOWN_TYPES =
      Set.of(
          "OrderCreated",
          "OrderConfirmed",
          "OrderCancelled",
          "InventoryReserved",
          "InventoryRejected",
          "PaymentSucceeded",
          "PaymentFailed",
          "UserProfileUpdated",
          "FileUploaded",
          "FileProcessed",
          "FileTaskRequested",
          "ChatMessageSent",
          "ChatMessageModerated");

  static Outcome expected(HubConsumer consumer, KafkaCase record) {
    String type = record.type();
    // skipped only when the catalog puts the type on this topic and another route handles it;
    // a type of another topic is as wrong here as an unknown one
    boolean ofThisTopic =
        type != null
            && KNOWN_TYPES.contains(type)
            && CATALOG.route(type).topic().equals(record.topic());
    if (!ofThisTopic || consumer.handles().contains(type)) {
      return Outcome.DEAD_LETTER;
    }
    return Outcome.SKIP;
  }

  private static final EventCatalog CATALOG = new EventCatalog(new ObjectMapper());

  // ---------------------------------------------------------------------------------------------
  // The hub
  // ---------------------------------------------------------------------------------------------

  private static HubRunner hub;
  private static int port;
  private static String paymentSecret;

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    Properties dev = new Properties();
    try (InputStream in = Files.newInputStream(DEV_PROFILE)) {
      dev.load(in);
    }
    paymentSecret = dev.getProperty("hub.callbacks.payments.secret");
    Map<String, String> properties = new LinkedHashMap<>();
    // the dev profile's routes (with the stand-ins at /stand-ins/{service}) and payment secret
    properties.put(
        "camel.main.routes-include-pattern", dev.getProperty("camel.main.routes-include-pattern"));
    properties.put("hub.callbacks.payments.secret", paymentSecret);
    for (String service : HubRunner.SERVICES) {
      properties.put(
          "hub.services." + service + ".url",
          "http://localhost:{{hub.http.port}}/stand-ins/" + service);
    }
    // bad records are not worth many retries; keeps the suite short
    properties.put("hub.retry.max-redeliveries", "1");
    properties.put("hub.retry.initial-delay-ms", "50");
    properties.put("hub.retry.max-delay-ms", "100");
    properties.putAll(CREDENTIAL_PROPERTIES);
    // the dev profile's file callback secret; a small upload limit, so "too large" stays small
    properties.put("hub.callbacks.files.secret", dev.getProperty("hub.callbacks.files.secret"));
    properties.put("hub.files.max-bytes", "100000");
    hub = new HubRunner(properties);
    port = Integer.parseInt(hub.context().resolvePropertyPlaceholders("{{hub.http.port}}"));
  }

  @AfterAll
  static void stopHub() throws Exception {
    if (hub != null) {
      hub.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The HTTP cases
  // ---------------------------------------------------------------------------------------------

  static final String EVENTS = "POST /api/events";
  static final String STOCK_PUT = "PUT /api/inventory/{sku}";
  static final String STOCK_GET = "GET /api/inventory/{sku}";
  static final String ORDERS = "GET /api/orders/{id}";
  static final String PROFILES = "GET /api/users/{id}/profile";
  static final String DLQ = "GET/POST /api/dlq/{service}";
  static final String PAYMENTS = "POST /callbacks/payments";
  static final String SERVER = "unknown paths, methods, limits";
  static final String CREDENTIALS = "credentials on /api/*";

  static List<HttpCase> httpCases() {
    List<HttpCase> cases = new ArrayList<>();
    eventCases(cases);
    stockCases(cases);
    queryCases(cases);
    dlqCases(cases);
    paymentCases(cases);
    fileCases(cases);
    serverCases(cases);
    credentialCases(cases);
    return cases;
  }

  static final String CE = "application/cloudevents+json";

  static void eventCases(List<HttpCase> c) {
    // the body itself
    c.add(events("empty body", "", Expect.problem(400)));
    c.add(events("whitespace body", "   \n ", Expect.problem(400)));
    c.add(events("JSON null", "null", Expect.problem(400)));
    c.add(events("not JSON", CANARY + " is not json", Expect.problem(400)));
    c.add(events("JSON array", "[]", Expect.problem(400)));
    c.add(events("JSON string", "\"OrderCreated\"", Expect.problem(400)));
    c.add(events("JSON number", "12", Expect.problem(400)));
    c.add(events("truncated JSON", order().substring(0, 120), Expect.problem(400)));
    c.add(events("trailing garbage", order() + "}}", Expect.problem(400)));
    c.add(events("two documents", order() + order(), Expect.problem(400)));
    c.add(events("single quotes", order().replace('"', '\''), Expect.problem(400)));
    c.add(events("comments", "/* hi */" + order(), Expect.problem(400)));
    c.add(events("XML", "<event><type>OrderCreated</type></event>", Expect.problem(400)));
    c.add(
        eventsBytes(
            "bad UTF-8 in a string",
            concat(
                order().substring(0, 40).getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF},
                order().substring(40).getBytes(StandardCharsets.UTF_8)),
            Expect.problem(400)));
    c.add(
        eventsBytes(
            "UTF-16 body",
            order().getBytes(StandardCharsets.UTF_16),
            // JSON in UTF-16 is still JSON (RFC 8259 lets a receiver take it)
            Expect.problem(400, 415).orAccepted()));
    c.add(
        eventsBytes(
            "NUL bytes",
            ("\u0000\u0000" + order()).getBytes(StandardCharsets.UTF_8),
            Expect.problem(400)));
    // content types
    c.add(eventsTyped("no Content-Type", null, order(), Expect.problem(415)));
    c.add(eventsTyped("text/plain", "text/plain", order(), Expect.problem(415)));
    c.add(
        eventsTyped(
            "form encoded", "application/x-www-form-urlencoded", order(), Expect.problem(415)));
    c.add(
        eventsTyped("multipart", "multipart/form-data; boundary=x", order(), Expect.problem(415)));
    c.add(eventsTyped("XML type", "application/xml", order(), Expect.problem(415)));
    // batch mode (application/cloudevents-batch+json): a JSON array of valid structured events
    String batch = "application/cloudevents-batch+json";
    c.add(eventsTyped("batch that is one event", batch, order(), Expect.problem(400)));
    c.add(eventsTyped("empty batch", batch, "[]", Expect.problem(400)));
    c.add(eventsTyped("batch not JSON", batch, CANARY + " [", Expect.problem(400)));
    c.add(eventsTyped("batch of a non-event", batch, "[{}]", Expect.problem(400)));
    c.add(eventsTyped("batch of numbers", batch, "[1, 2]", Expect.problem(400)));
    c.add(
        eventsTyped(
            "batch with a bad extension name",
            batch,
            "[" + order().replaceFirst("\\{", "{\"Bad_Name\":\"x\",") + "]",
            Expect.problem(400)));
    c.add(eventsTyped("garbage Content-Type", ";;;===", order(), Expect.problem(415)));
    // attributes
    c.add(event("no specversion", e -> e.remove("specversion"), Expect.problem(400)));
    c.add(event("specversion 0.3", e -> e.put("specversion", "0.3"), Expect.problem(400)));
    c.add(event("specversion as number", e -> e.put("specversion", 1.0), Expect.problem(400)));
    c.add(event("no id", e -> e.remove("id"), Expect.problem(400)));
    c.add(event("empty id", e -> e.put("id", ""), Expect.problem(400)));
    c.add(event("blank id", e -> e.put("id", "   "), Expect.problem(400)));
    c.add(event("id as number", e -> e.put("id", 42), Expect.problem(400)));
    c.add(event("id null", e -> e.putNull("id"), Expect.problem(400)));
    c.add(event("id as object", e -> e.putObject("id").put("a", 1), Expect.problem(400)));
    c.add(event("id of 10 KB", e -> e.put("id", "x".repeat(10_000)), Expect.problem(400)));
    c.add(event("no source", e -> e.remove("source"), Expect.problem(400)));
    c.add(event("source as array", e -> e.putArray("source").add("/shop"), Expect.problem(400)));
    c.add(
        event(
            "source of 10 KB",
            e -> e.put("source", "/" + "s".repeat(10_000)),
            Expect.problem(400)));
    c.add(event("no type", e -> e.remove("type"), Expect.problem(400)));
    c.add(event("empty type", e -> e.put("type", ""), Expect.problem(400)));
    c.add(event("type as number", e -> e.put("type", 7), Expect.problem(400)));
    c.add(event("unknown type", e -> e.put("type", "OrderDeleted"), Expect.problem(400)));
    c.add(event("type in lower case", e -> e.put("type", "ordercreated"), Expect.problem(400)));
    c.add(
        event(
            "type with CR/LF",
            e -> e.put("type", "OrderCreated\r\nX-Forged: 1"),
            Expect.problem(400)));
    c.add(event("type of 10 KB", e -> e.put("type", "T".repeat(10_000)), Expect.problem(400)));
    c.add(event("time not RFC 3339", e -> e.put("time", "yesterday"), Expect.problem(400)));
    c.add(event("time as number", e -> e.put("time", 1700000000), Expect.problem(400)));
    c.add(
        event(
            "datacontenttype XML",
            e -> e.put("datacontenttype", "application/xml"),
            Expect.problem(400)));
    // types the hub publishes itself
    for (String type :
        List.of(
            "OrderConfirmed",
            "OrderCancelled",
            "InventoryReserved",
            "InventoryRejected",
            "PaymentSucceeded",
            "PaymentFailed",
            "FileProcessed",
            "ChatMessageModerated")) {
      c.add(event("hub's own type " + type, e -> e.put("type", type), Expect.problem(400, 403)));
    }
    // data
    c.add(event("no data", e -> e.remove("data"), Expect.problem(400)));
    c.add(event("data null", e -> e.putNull("data"), Expect.problem(400)));
    c.add(event("data as string", e -> e.put("data", "{\"orderId\":\"o\"}"), Expect.problem(400)));
    c.add(event("data as array", e -> e.putArray("data"), Expect.problem(400)));
    c.add(
        event(
            "data_base64", e -> e.put("data_base64", "AAAA").remove("data"), Expect.problem(400)));
    c.add(data("no orderId", d -> d.remove("orderId"), Expect.problem(400)));
    c.add(data("orderId as number", d -> d.put("orderId", 1001), Expect.problem(400)));
    c.add(data("orderId of 10 KB", d -> d.put("orderId", "o".repeat(10_000)), Expect.problem(400)));
    c.add(data("lines empty", d -> d.putArray("lines"), Expect.problem(400)));
    c.add(data("lines as object", d -> d.putObject("lines"), Expect.problem(400)));
    c.add(data("lines as string", d -> d.put("lines", "SKU-1 x2"), Expect.problem(400)));
    c.add(line("line without sku", l -> l.remove("sku"), Expect.problem(400)));
    c.add(line("sku as number", l -> l.put("sku", 12), Expect.problem(400)));
    c.add(line("quantity as string", l -> l.put("quantity", "2"), Expect.problem(400)));
    c.add(line("quantity as \"NaN\"", l -> l.put("quantity", "NaN"), Expect.problem(400)));
    c.add(
        line("quantity as \"Infinity\"", l -> l.put("quantity", "Infinity"), Expect.problem(400)));
    c.add(line("quantity 1.5", l -> l.put("quantity", 1.5), Expect.problem(400)));
    c.add(line("quantity 0", l -> l.put("quantity", 0), Expect.problem(400)));
    c.add(line("quantity -1", l -> l.put("quantity", -1), Expect.problem(400)));
    c.add(lineRaw("quantity -0", "-0", Expect.problem(400)));
    c.add(lineRaw("quantity 2^53+1", "9007199254740993", Expect.problem(400)));
    c.add(lineRaw("quantity 2^63", "9223372036854775808", Expect.problem(400)));
    c.add(lineRaw("quantity 2^64+1", "18446744073709551617", Expect.problem(400)));
    c.add(lineRaw("quantity 1e400", "1e400", Expect.problem(400)));
    c.add(lineRaw("quantity -1e400", "-1e400", Expect.problem(400)));
    c.add(lineRaw("quantity bare NaN", "NaN", Expect.problem(400)));
    c.add(amount("amount value \"NaN\"", a -> a.put("value", "NaN"), Expect.problem(400)));
    c.add(amount("amount value negative", a -> a.put("value", -5), Expect.problem(400)));
    c.add(amountRaw("amount value 1e400", "1e400", Expect.problem(400)));
    c.add(amountRaw("amount value 2^64+1", "18446744073709551617", Expect.problem(400)));
    c.add(amountRaw("amount value 0.001 EUR", "0.001", Expect.problem(400)));
    c.add(amount("currency unknown shape", a -> a.put("currency", "EURO"), Expect.problem(400)));
    c.add(amount("currency as number", a -> a.put("currency", 978), Expect.problem(400)));
    // duplicate keys
    c.add(
        events(
            "duplicate type attribute",
            order()
                .replaceFirst(
                    "\"type\":\"OrderCreated\"",
                    "\"type\":\"OrderCreated\",\"type\":\"ChatMessageSent\""),
            Expect.problem(400)));
    c.add(
        events(
            "duplicate id attribute",
            order().replaceFirst("\"id\":", "\"id\":\"evt-first\",\"id\":"),
            Expect.problem(400)));
    c.add(
        events(
            "duplicate orderId in data",
            order().replaceFirst("\"orderId\":", "\"orderId\":\"order-other\",\"orderId\":"),
            Expect.problem(400)));
    c.add(
        events(
            "duplicate quantity in a line",
            order().replaceFirst("\"quantity\":2", "\"quantity\":2,\"quantity\":200000"),
            Expect.problem(400)));
    // profile updates
    c.add(profile("version 2^53+1", "9007199254740993", Expect.problem(400)));
    c.add(profile("version 2^64+1", "18446744073709551617", Expect.problem(400)));
    c.add(profile("version 1e400", "1e400", Expect.problem(400)));
    c.add(profile("version \"NaN\"", "\"NaN\"", Expect.problem(400)));
    c.add(profile("version -1", "-1", Expect.problem(400)));
    // depth and size
    c.add(
        events(
            "data nested 5000 arrays deep",
            order()
                .replace(
                    "\"customerId\"",
                    "\"deep\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"customerId\""),
            Expect.problem(400)));
    c.add(
        events(
            "objects nested 3000 deep",
            order()
                .replace(
                    "\"customerId\"",
                    "\"deep\":"
                        + "{\"a\":".repeat(3000)
                        + "1"
                        + "}".repeat(3000)
                        + ",\"customerId\""),
            Expect.problem(400)));
    c.add(
        events(
            "body over the intake limit (100 KB)",
            order()
                .replace(
                    "\"customerId\"", "\"pad\":\"" + "p".repeat(100_000) + "\",\"customerId\""),
            Expect.problem(413)));
    c.add(
        events(
            "body over the server limit (1.5 MiB)",
            order()
                .replace(
                    "\"customerId\"", "\"pad\":\"" + "p".repeat(1_500_000) + "\",\"customerId\""),
            Expect.problem(413)));
    c.add(
        new HttpCase(
            EVENTS,
            "Content-Length smaller than the body",
            bearer(Request.of("POST", "/api/events"))
                .header("Content-Type", CE)
                .header("Content-Length", "1")
                .body("{}"),
            Expect.problem(400)));
    c.add(
        new HttpCase(
            EVENTS,
            "Content-Length over the server limit",
            bearer(Request.of("POST", "/api/events"))
                .header("Content-Type", CE)
                .header("Content-Length", "5000000000")
                .body("{}"),
            Expect.problem(413)));
  }

  static void stockCases(List<HttpCase> c) {
    String good = "{\"available\": 5}";
    for (String[] sku :
        new String[][] {
          {"path traversal", "..%2F..%2Fetc%2Fpasswd"},
          {"raw path traversal", "../../orders/x"},
          {"dot dot", ".."},
          {"encoded CR/LF", "SKU%0D%0AX-Forged:%201"},
          {"encoded NUL", "SKU%00A"},
          {"unicode", "%E2%98%83-SNOWMAN"},
          {"raw unicode", "\u2603"},
          {"very long", "S".repeat(5000)},
          {"65 characters", "S".repeat(65)},
          {"SQL", "x'%20OR%20'1'='1"},
          {"space", "SKU%20A"},
          {"bad percent-encoding", "SKU%ZZ"},
          {"leading dash", "-SKU"},
          {"quote", "SKU%22"},
        }) {
      String target = "/api/inventory/" + sku[1];
      Expect expect =
          sku[0].contains("traversal") || sku[0].equals("dot dot")
              ? Expect.anyProblem()
              : Expect.problem(400, 404);
      if (sku[0].equals("very long")) {
        expect = Expect.problem(400, 414);
      }
      c.add(
          new HttpCase(
              STOCK_PUT,
              "SKU " + sku[0],
              bearer(Request.of("PUT", target))
                  .header("Content-Type", "application/json")
                  .body(good),
              expect));
      c.add(new HttpCase(STOCK_GET, "SKU " + sku[0], bearer(Request.of("GET", target)), expect));
    }
    String sku = "/api/inventory/SKU-SUITE-BAD-" + RUN;
    for (String[] body :
        new String[][] {
          {"empty body", ""},
          {"not JSON", "five"},
          {"available missing", "{}"},
          {"available as string", "{\"available\":\"5\"}"},
          {"available negative", "{\"available\":-1}"},
          {"available 1.5", "{\"available\":1.5}"},
          {"available 2^53+1", "{\"available\":9007199254740993}"},
          {"available 2^64+1", "{\"available\":18446744073709551617}"},
          {"available 1e400", "{\"available\":1e400}"},
          {"available -0", "{\"available\":-0.0e0,\"x\":1e400}"},
          {"available null", "{\"available\":null}"},
          {"duplicate available", "{\"available\":5,\"available\":-5}"},
          {"JSON array", "[5]"},
        }) {
      c.add(
          new HttpCase(
              STOCK_PUT,
              body[0],
              bearer(Request.of("PUT", sku))
                  .header("Content-Type", "application/json")
                  .body(body[1]),
              Expect.problem(400)));
    }
  }

  static void queryCases(List<HttpCase> c) {
    for (String[] id :
        new String[][] {
          {"unknown order", "order-does-not-exist-" + RUN},
          {"encoded CR/LF", "order%0D%0AX-Forged:%201"},
          {"path traversal", "..%2F..%2Fobserve%2Fhealth"},
          {"very long id", "o".repeat(5000)},
          {"unicode", "%F0%9F%92%A5"},
          {"bad percent-encoding", "%E0%A4%A"},
          {"SQL", "1'%20OR%20'1'='1"},
        }) {
      c.add(
          new HttpCase(
              ORDERS,
              id[0],
              bearer(Request.of("GET", "/api/orders/" + id[1])),
              Expect.problem(400, 404, 414)));
      c.add(
          new HttpCase(
              PROFILES,
              id[0].replace("order", "user"),
              bearer(Request.of("GET", "/api/users/" + id[1] + "/profile")),
              Expect.problem(400, 404, 414)));
    }
    c.add(
        new HttpCase(
            ORDERS,
            "POST to an order",
            bearer(Request.of("POST", "/api/orders/x")).body("{}"),
            Expect.problem(404, 405)));
    c.add(
        new HttpCase(
            PROFILES,
            "DELETE a profile",
            bearer(Request.of("DELETE", "/api/users/u/profile")),
            Expect.problem(404, 405)));
  }

  static void dlqCases(List<HttpCase> c) {
    c.add(
        new HttpCase(
            DLQ,
            "unknown service",
            bearer(Request.of("GET", "/api/dlq/no-such-service")),
            // a service without dead letters: an empty list is a fair answer too
            Expect.problem(400, 404).orAccepted()));
    c.add(
        new HttpCase(
            DLQ,
            "service with CR/LF",
            bearer(Request.of("GET", "/api/dlq/ship%0D%0Aping")),
            Expect.problem(400, 404)));
    c.add(
        new HttpCase(
            DLQ,
            "service traversal",
            bearer(Request.of("GET", "/api/dlq/..%2F..%2Fetc")),
            Expect.problem(400, 404)));
    c.add(
        new HttpCase(
            DLQ,
            "service of 5000 characters",
            bearer(Request.of("GET", "/api/dlq/" + "s".repeat(5000))),
            Expect.problem(400, 404, 414)));
    c.add(
        new HttpCase(
            DLQ,
            "topic-like service",
            bearer(Request.of("GET", "/api/dlq/orders.events")),
            Expect.problem(400, 404)));
    c.add(
        new HttpCase(
            DLQ,
            "POST /api/dlq/{service}",
            bearer(Request.of("POST", "/api/dlq/shipping")).body("{}"),
            Expect.problem(404, 405)));
    c.add(
        new HttpCase(
            DLQ,
            "replay unknown service",
            bearer(Request.of("POST", "/api/dlq/no-such-service/replay")),
            // nothing to replay: "replayed": 0 is a fair answer too
            Expect.problem(400, 404).orAccepted()));
    c.add(
        new HttpCase(
            DLQ,
            "DELETE dead letters",
            bearer(Request.of("DELETE", "/api/dlq/shipping")),
            Expect.problem(404, 405)));
  }

  static void paymentCases(List<HttpCase> c) {
    String body = paymentCallback("payment.succeeded");
    long now = System.currentTimeMillis() / 1000;
    String secret = paymentSecretOf();
    // Stripe scheme
    c.add(payment("no signature", body, Map.of(), Expect.problem(401)));
    c.add(
        payment(
            "Stripe: garbled",
            body,
            Map.of("Stripe-Signature", "garbled"),
            Expect.problem(400, 401)));
    c.add(payment("Stripe: empty", body, Map.of("Stripe-Signature", ""), Expect.problem(400, 401)));
    c.add(
        payment(
            "Stripe: no v1",
            body,
            Map.of("Stripe-Signature", "t=" + now),
            Expect.problem(400, 401)));
    c.add(
        payment(
            "Stripe: no t",
            body,
            Map.of("Stripe-Signature", "v1=" + "0".repeat(64)),
            Expect.problem(400, 401)));
    c.add(
        payment(
            "Stripe: t not a number",
            body,
            Map.of("Stripe-Signature", "t=soon,v1=" + "0".repeat(64)),
            Expect.problem(400, 401)));
    c.add(
        payment(
            "Stripe: t 2^64+1",
            body,
            Map.of("Stripe-Signature", "t=18446744073709551617,v1=" + "0".repeat(64)),
            Expect.problem(400, 401)));
    c.add(
        payment(
            "Stripe: v1 not hex",
            body,
            Map.of("Stripe-Signature", "t=" + now + ",v1=zzzz"),
            Expect.problem(400, 401)));
    c.add(
        payment(
            "Stripe: zero signature",
            body,
            Map.of("Stripe-Signature", "t=" + now + ",v1=" + "0".repeat(64)),
            Expect.problem(401)));
    c.add(
        payment(
            "Stripe: expired (1 h old)",
            body,
            Map.of("Stripe-Signature", Signatures.stripe(secret, now - 3600, body)),
            Expect.problem(401)));
    c.add(
        payment(
            "Stripe: from the future (1 h)",
            body,
            Map.of("Stripe-Signature", Signatures.stripe(secret, now + 3600, body)),
            Expect.problem(401)));
    c.add(
        payment(
            "Stripe: wrong secret",
            body,
            Map.of("Stripe-Signature", Signatures.stripe("whsec_not_ours", now, body)),
            Expect.problem(401)));
    c.add(
        payment(
            "Stripe: body changed after signing",
            body.replace("42.5", "0.01"),
            Map.of("Stripe-Signature", Signatures.stripe(secret, now, body)),
            Expect.problem(401)));
    c.add(
        payment(
            "Stripe: signature of another callback",
            body,
            Map.of(
                "Stripe-Signature",
                Signatures.stripe(secret, now, paymentCallback("payment.succeeded"))),
            Expect.problem(401)));
    c.add(
        payment(
            "Stripe: v0 only",
            body,
            Map.of("Stripe-Signature", Signatures.stripe(secret, now, body).replace("v1=", "v0=")),
            Expect.problem(400, 401)));
    c.add(
        payment(
            "Stripe: 10 KB header",
            body,
            Map.of("Stripe-Signature", "t=" + now + ",v1=" + "a".repeat(10_000)),
            Expect.problem(400, 401, 431)));
    // Standard Webhooks scheme
    c.add(
        payment(
            "Webhooks: no webhook-id",
            body,
            webhooks(secret, null, now, body),
            Expect.problem(400, 401)));
    c.add(
        payment(
            "Webhooks: no timestamp",
            body,
            without(webhooks(secret, "msg_" + RUN, now, body), "webhook-timestamp"),
            Expect.problem(400, 401)));
    c.add(
        payment(
            "Webhooks: garbled signature",
            body,
            with(webhooks(secret, "msg_" + RUN, now, body), "webhook-signature", "v1,!!!"),
            Expect.problem(400, 401)));
    c.add(
        payment(
            "Webhooks: unknown version",
            body,
            with(webhooks(secret, "msg_" + RUN, now, body), "webhook-signature", "v9,AAAA"),
            Expect.problem(400, 401)));
    c.add(
        payment(
            "Webhooks: timestamp not a number",
            body,
            with(webhooks(secret, "msg_" + RUN, now, body), "webhook-timestamp", "now"),
            Expect.problem(400, 401)));
    c.add(
        payment(
            "Webhooks: expired (1 h old)",
            body,
            webhooks(secret, "msg_" + RUN, now - 3600, body),
            Expect.problem(401)));
    c.add(
        payment(
            "Webhooks: wrong secret",
            body,
            webhooks(
                "whsec_"
                    + Base64.getEncoder()
                        .encodeToString("not ours".getBytes(StandardCharsets.UTF_8)),
                "msg_" + RUN,
                now,
                body),
            Expect.problem(401)));
    c.add(
        payment(
            "Webhooks: body changed after signing",
            body.replace("succeeded", "failed"),
            webhooks(secret, "msg_" + RUN, now, body),
            Expect.problem(401)));
    c.add(
        payment(
            "Webhooks: id changed after signing",
            body,
            with(webhooks(secret, "msg_" + RUN, now, body), "webhook-id", "msg_other"),
            Expect.problem(401)));
    c.add(
        payment(
            "Webhooks: timestamp changed after signing",
            body,
            with(
                webhooks(secret, "msg_" + RUN, now, body),
                "webhook-timestamp",
                String.valueOf(now - 1)),
            Expect.problem(401)));
    // signed, but the content is wrong
    for (String[] signed :
        new String[][] {
          {"signed non-JSON body", CANARY + " is not json"},
          {"signed empty body", ""},
          {"signed JSON array", "[1,2]"},
          {"signed unknown type", paymentCallback("payment.refunded")},
          {
            "signed without id",
            paymentCallback("payment.succeeded").replaceFirst("\"id\":\"[^\"]+\",", "")
          },
          {"signed without data", "{\"id\":\"gw-" + RUN + "-x\",\"type\":\"payment.succeeded\"}"},
          {
            "signed data without orderId",
            paymentCallback("payment.succeeded").replaceFirst("\"orderId\":\"[^\"]+\",", "")
          },
          {"signed amount 1e400", paymentCallback("payment.succeeded").replace("42.5", "1e400")},
          {
            "signed amount 2^64+1",
            paymentCallback("payment.succeeded").replace("42.5", "18446744073709551617")
          },
          {
            "signed amount \"NaN\"", paymentCallback("payment.succeeded").replace("42.5", "\"NaN\"")
          },
          {
            "signed duplicate type",
            paymentCallback("payment.failed")
                .replaceFirst("\"type\":", "\"type\":\"payment.succeeded\",\"type\":")
          },
          {
            "signed data nested 5000 deep",
            paymentCallback("payment.succeeded")
                .replace(
                    "\"paymentId\"",
                    "\"deep\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"paymentId\"")
          },
          {
            "signed body over the limit (100 KB)",
            paymentCallback("payment.succeeded")
                .replace("\"paymentId\"", "\"pad\":\"" + "p".repeat(100_000) + "\",\"paymentId\"")
          },
        }) {
      Expect expect =
          signed[0].contains("over the limit") ? Expect.problem(413) : Expect.problem(400);
      c.add(
          payment(
              signed[0] + " (Stripe)",
              signed[1],
              Map.of("Stripe-Signature", Signatures.stripe(secret, now, signed[1])),
              expect));
    }
    String webhookBody = "{\"id\":" + CANARY.length() + ",\"type\":[\"payment.succeeded\"]}";
    c.add(
        payment(
            "signed wrong JSON types (Webhooks)",
            webhookBody,
            webhooks(secret, "msg_t_" + RUN, now, webhookBody),
            Expect.problem(400)));
    c.add(
        payment(
            "signed unknown type (Webhooks)",
            paymentCallback("charge.disputed"),
            null,
            Expect.problem(400)));
    c.add(
        new HttpCase(
            PAYMENTS,
            "GET on the callback",
            Request.of("GET", "/callbacks/payments"),
            Expect.problem(404, 405)));
  }

  static final String UPLOADS = "POST /api/files";
  static final String FILE_QUERIES = "GET /api/files...";
  static final String FILE_CALLBACKS = "POST /callbacks/files/{fileId}";
  static final String BOUNDARY = "suite-boundary-" + RUN;

  static void fileCases(List<HttpCase> c) {
    byte[] png = Base64.getDecoder().decode(TINY_PNG);
    c.add(upload("empty file", "a.png", "image/png", new byte[0], Expect.problem(400)));
    c.add(upload("too large", "a.txt", "text/plain", new byte[200_000], Expect.problem(413)));
    c.add(
        upload(
            "text declared as PNG",
            "a.png",
            "image/png",
            (CANARY + " text").getBytes(StandardCharsets.UTF_8),
            Expect.problem(415)));
    c.add(upload("PNG declared as text", "a.txt", "text/plain", png, Expect.problem(415)));
    c.add(
        upload(
            "type not allowed",
            "a.exe",
            "application/x-msdownload",
            new byte[] {'M', 'Z', 0, 0},
            Expect.problem(415)));
    c.add(
        upload("binary as text", "a.txt", "text/plain", new byte[] {1, 2, 0}, Expect.problem(415)));
    c.add(upload("name with ../", "../../etc/passwd", "image/png", png, Expect.problem(400)));
    c.add(upload("name with NUL", "a\u0000.png", "image/png", png, Expect.problem(400)));
    c.add(upload("name of 300 characters", "a".repeat(300), "image/png", png, Expect.problem(400)));
    c.add(upload("name empty", "", "image/png", png, Expect.problem(400)));
    c.add(
        new HttpCase(
            UPLOADS,
            "multipart without boundary",
            bearer(Request.of("POST", "/api/files").header("Content-Type", "multipart/form-data"))
                .body("--x\r\n"),
            Expect.problem(400)));
    c.add(
        new HttpCase(
            UPLOADS,
            "multipart without a file part",
            bearer(
                    Request.of("POST", "/api/files")
                        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY))
                .body(
                    "--"
                        + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\n"
                        + CANARY
                        + "\r\n--"
                        + BOUNDARY
                        + "--\r\n"),
            Expect.problem(400)));
    c.add(
        new HttpCase(
            UPLOADS,
            "multipart truncated",
            bearer(
                    Request.of("POST", "/api/files")
                        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY))
                .body("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\""),
            Expect.problem(400)));
    c.add(
        new HttpCase(
            UPLOADS,
            "raw body without a name",
            bearer(Request.of("POST", "/api/files").header("Content-Type", "image/png")).body(png),
            Expect.problem(400)));
    c.add(
        new HttpCase(
            UPLOADS,
            "raw body without a type",
            bearer(Request.of("POST", "/api/files?name=a.png")).body(png),
            Expect.problem(415)));
    c.add(
        new HttpCase(
            UPLOADS,
            "storefront may not publish FileUploaded",
            Request.of("POST", "/api/files")
                .header("Authorization", "Bearer " + LIMITED_TOKEN)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart("a.png", "image/png", png)),
            Expect.problem(403)));
    c.add(
        new HttpCase(
            UPLOADS,
            "no credentials",
            Request.of("POST", "/api/files")
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart("a.png", "image/png", png)),
            Expect.problem(401)));
    String unknown = UUID.randomUUID().toString();
    for (String[] q :
        new String[][] {
          {"unknown file", "/api/files/" + unknown},
          {"file id not a UUID", "/api/files/..%2F..%2Fetc"},
          {"thumbnail of an unknown file", "/api/files/" + unknown + "/thumbnails/128"},
          {"thumbnail size not a number", "/api/files/" + unknown + "/thumbnails/big"},
          {"events of an unknown file", "/api/files/" + unknown + "/events"},
          {"list with an unknown status", "/api/files?status=" + CANARY},
          {"list with limit 0", "/api/files?limit=0"},
          {"list with limit not a number", "/api/files?limit=many"},
        }) {
      c.add(
          new HttpCase(
              FILE_QUERIES, q[0], bearer(Request.of("GET", q[1])), Expect.problem(400, 404)));
    }
    c.add(
        new HttpCase(
            FILE_QUERIES,
            "storefront may not read files",
            Request.of("GET", "/api/files/" + unknown)
                .header("Authorization", "Bearer " + LIMITED_TOKEN),
            Expect.problem(403)));
    String good = "{\"task\":\"sha256\",\"status\":\"SUCCEEDED\",\"result\":{}}";
    c.add(fileCallback("no signature", unknown, good, Map.of(), Expect.problem(401)));
    c.add(
        fileCallback(
            "signed with the payment secret",
            unknown,
            good,
            Signatures.stripeHeaderNow(paymentSecretOf(), good),
            Expect.problem(401)));
    c.add(
        fileCallback(
            "expired signature",
            unknown,
            good,
            Map.of(
                "Stripe-Signature",
                Signatures.stripe(fileSecretOf(), System.currentTimeMillis() / 1000 - 3600, good)),
            Expect.problem(401)));
    c.add(fileCallback("unknown file", unknown, good, null, Expect.problem(404)));
    c.add(fileCallback("file id not a UUID", "x'%20OR%201=1", good, null, Expect.problem(404)));
    c.add(fileCallback("not JSON", unknown, CANARY + " {", null, Expect.problem(400)));
    c.add(
        fileCallback(
            "status not SUCCEEDED or FAILED",
            unknown,
            "{\"task\":\"sha256\",\"status\":\"DONE\",\"result\":{}}",
            null,
            Expect.problem(400)));
    c.add(
        fileCallback(
            "result not an object",
            unknown,
            "{\"task\":\"sha256\",\"status\":\"SUCCEEDED\",\"result\":[1]}",
            null,
            Expect.problem(400)));
  }

  /** A 1x1 PNG. */
  static final String TINY_PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

  static HttpCase upload(String name, String fileName, String type, byte[] content, Expect e) {
    return new HttpCase(UPLOADS, name, uploadRequest(fileName, type, content), e);
  }

  static Request uploadRequest(String fileName, String type, byte[] content) {
    return bearer(
            Request.of("POST", "/api/files")
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY))
        .body(multipart(fileName, type, content));
  }

  static byte[] multipart(String fileName, String type, byte[] content) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: "
                + type
                + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static HttpCase fileCallback(
      String name, String fileId, String body, Map<String, String> headers, Expect expect) {
    Map<String, String> h =
        headers == null ? Signatures.stripeHeaderNow(fileSecretOf(), body) : headers;
    Request r =
        Request.of("POST", "/callbacks/files/" + fileId).header("Content-Type", "application/json");
    for (Map.Entry<String, String> e : h.entrySet()) {
      r = r.header(e.getKey(), e.getValue());
    }
    return new HttpCase(FILE_CALLBACKS, name, r.body(body), expect);
  }

  static String fileSecretOf() {
    try (InputStream in = Files.newInputStream(DEV_PROFILE)) {
      Properties dev = new Properties();
      dev.load(in);
      return dev.getProperty("hub.callbacks.files.secret");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void serverCases(List<HttpCase> c) {
    c.add(
        new HttpCase(
            SERVER, "unknown path", Request.of("GET", "/no/such/path"), Expect.problem(404)));
    c.add(
        new HttpCase(
            SERVER,
            "unknown /api path",
            bearer(Request.of("GET", "/api/no-such-thing")),
            Expect.problem(404)));
    c.add(
        new HttpCase(
            SERVER,
            "unknown /callbacks path",
            Request.of("POST", "/callbacks/unknown").body("{}"),
            Expect.problem(404)));
    c.add(
        new HttpCase(
            SERVER, "root of /api", bearer(Request.of("GET", "/api/")), Expect.problem(404)));
    c.add(
        new HttpCase(
            SERVER,
            "DELETE /api/events",
            bearer(Request.of("DELETE", "/api/events")),
            Expect.problem(404, 405)));
    c.add(
        new HttpCase(
            SERVER,
            "GET /api/events",
            bearer(Request.of("GET", "/api/events")),
            Expect.problem(404, 405)));
    c.add(
        new HttpCase(
            SERVER,
            "PATCH /api/inventory/{sku}",
            bearer(Request.of("PATCH", "/api/inventory/SKU-1")).body("{}"),
            Expect.problem(404, 405)));
    c.add(
        new HttpCase(
            SERVER,
            "made-up method",
            bearer(Request.of("BREW", "/api/events")),
            Expect.problem(400, 404, 405)));
    c.add(
        new HttpCase(
            SERVER,
            "URI of 20 KB",
            bearer(Request.of("GET", "/api/orders/" + "o".repeat(20_000))),
            Expect.problem(414)));
    c.add(
        new HttpCase(
            SERVER,
            "query of 20 KB",
            bearer(Request.of("GET", "/api/orders/x?q=" + "q".repeat(20_000))),
            Expect.problem(414)));
    c.add(
        new HttpCase(
            SERVER,
            "header of 20 KB",
            bearer(Request.of("GET", "/api/orders/x")).header("X-Big", "h".repeat(20_000)),
            Expect.problem(431)));
    c.add(
        new HttpCase(
            SERVER,
            "200 headers of 200 bytes",
            many(bearer(Request.of("GET", "/api/orders/x")), 200, 200),
            Expect.problem(431)));
    c.add(
        new HttpCase(
            SERVER,
            "cookie of 20 KB",
            Request.of("POST", "/callbacks/payments")
                .header("Cookie", "c=" + "c".repeat(20_000))
                .body("{}"),
            Expect.problem(431)));
    c.add(
        new HttpCase(
            SERVER,
            "encoded slash in path",
            bearer(Request.of("GET", "/api/orders/a%2Fb")),
            Expect.problem(400, 404)));
    c.add(
        new HttpCase(
            SERVER,
            "traversal out of /api",
            bearer(Request.of("GET", "/api/../../../etc/passwd")),
            Expect.problem(400, 404)));
  }

  static void credentialCases(List<HttpCase> c) {
    String order = order();
    List<Request> protectedRequests =
        List.of(
            Request.of("POST", "/api/events").header("Content-Type", CE).body(order),
            Request.of("PUT", "/api/inventory/SKU-SUITE-CRED-" + RUN)
                .header("Content-Type", "application/json")
                .body("{\"available\":0}"),
            Request.of("GET", "/api/dlq/shipping"),
            Request.of("GET", "/api/orders/order-cred-" + RUN),
            Request.of("GET", "/api/users/user-cred-" + RUN + "/profile"));
    List<String> labels =
        List.of(
            "POST /api/events",
            "PUT /api/inventory/{sku}",
            "GET /api/dlq/{service}",
            "GET /api/orders/{id}",
            "GET /api/users/{id}/profile");
    for (int i = 0; i < protectedRequests.size(); i++) {
      Request r = protectedRequests.get(i);
      String what = labels.get(i);
      c.add(new HttpCase(CREDENTIALS, what + ": no credentials", r, Expect.problem(401)));
      c.add(
          new HttpCase(
              CREDENTIALS,
              what + ": wrong token",
              r.header("Authorization", "Bearer " + WRONG_TOKEN),
              Expect.problem(401)));
    }
    Request post = protectedRequests.get(0);
    c.add(
        new HttpCase(
            CREDENTIALS,
            "empty Bearer",
            post.header("Authorization", "Bearer "),
            Expect.problem(401)));
    c.add(
        new HttpCase(
            CREDENTIALS,
            "Basic scheme",
            post.header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(("admin:" + TOKEN).getBytes(StandardCharsets.UTF_8))),
            Expect.problem(401)));
    c.add(
        new HttpCase(
            CREDENTIALS,
            "token without scheme",
            post.header("Authorization", TOKEN),
            Expect.problem(401)));
    c.add(
        new HttpCase(
            CREDENTIALS,
            "token in upper case",
            post.header("Authorization", "Bearer " + TOKEN.toUpperCase()),
            Expect.problem(401)));
    c.add(
        new HttpCase(
            CREDENTIALS,
            "token with a suffix",
            post.header("Authorization", "Bearer " + TOKEN + "x"),
            Expect.problem(401)));
    c.add(
        new HttpCase(
            CREDENTIALS,
            "token prefix",
            post.header("Authorization", "Bearer " + TOKEN.substring(0, 3)),
            Expect.problem(401)));
    c.add(
        new HttpCase(
            CREDENTIALS,
            "token with CR/LF",
            post.header("Authorization", "Bearer %0D%0A" + TOKEN),
            Expect.problem(401)));
    c.add(
        new HttpCase(
            CREDENTIALS,
            "token of 10 KB",
            post.header("Authorization", "Bearer " + "t".repeat(10_000)),
            Expect.problem(401, 431)));
    c.add(
        new HttpCase(
            CREDENTIALS,
            "token in the query",
            Request.of("GET", "/api/dlq/shipping?access_token=" + TOKEN),
            Expect.problem(401)));
    // a client whose credential lacks the right: 403
    Request limited = Request.of("GET", "/").header("Authorization", "Bearer " + LIMITED_TOKEN);
    c.add(
        new HttpCase(
            CREDENTIALS,
            "storefront posts UserProfileUpdated",
            withAuth(
                Request.of("POST", "/api/events")
                    .header("Content-Type", CE)
                    .body(
                        ProfileEvents.cloudEvent(
                            "evt-suite-lim-" + RUN, "user-suite-lim-" + RUN, 1, List.of("name"))),
                limited),
            Expect.problem(403)));
    c.add(
        new HttpCase(
            CREDENTIALS,
            "storefront sets stock",
            withAuth(protectedRequests.get(1), limited),
            Expect.problem(403)));
    c.add(
        new HttpCase(
            CREDENTIALS,
            "storefront lists dead letters",
            withAuth(protectedRequests.get(2), limited),
            Expect.problem(403)));
    c.add(
        new HttpCase(
            CREDENTIALS,
            "storefront replays dead letters",
            withAuth(Request.of("POST", "/api/dlq/no-such-service/replay"), limited),
            Expect.problem(403)));
  }

  // ---------------------------------------------------------------------------------------------
  // The Kafka cases
  // ---------------------------------------------------------------------------------------------

  /**
   * Per consumed topic: the type its consumers handle, a valid value of it, a known type none
   * handles there.
   */
  static final Map<String, String[]> TOPICS =
      new TreeMap<>(
          Map.of(
              "orders.events", new String[] {"OrderCreated", "OrderConfirmed"},
              "inventory.events", new String[] {"InventoryReserved", "ChatMessageSent"},
              "payments.events", new String[] {"PaymentSucceeded", "FileUploaded"},
              "users.events", new String[] {"UserProfileUpdated", "OrderConfirmed"}));

  /** Compacted topics refuse records without a key: no null-key case for them. */
  static final Set<String> COMPACTED = Set.of("users.events");

  static List<KafkaCase> kafkaCases() {
    List<KafkaCase> cases = new ArrayList<>();
    TOPICS.forEach(
        (topic, types) -> {
          String type = types[0];
          String unhandled = types[1];
          String good = validData(type);
          cases.add(kafkaRaw(topic, "no headers at all", "k", good, Map.of()));
          cases.add(kafka(topic, "ce_* without ce_type", "k", good, null));
          cases.add(kafka(topic, "empty ce_type", "k", good, ""));
          cases.add(kafka(topic, "unknown ce_type", "k", good, "Bogus" + type));
          cases.add(kafka(topic, "ce_type with CR/LF", "k", good, type + "\r\nX: 1"));
          cases.add(kafka(topic, "ce_type in lower case", "k", good, type.toLowerCase()));
          cases.add(
              kafka(
                  topic,
                  "known type not handled here, garbage value",
                  "k",
                  CANARY + " garbage",
                  unhandled));
          cases.add(
              kafkaRaw(
                  topic,
                  "no ce_id",
                  "k",
                  good,
                  Map.of("ce_type", type, "ce_source", "/suite", "ce_specversion", "1.0")));
          cases.add(kafka(topic, "non-JSON value", "k", CANARY + " is not json", type));
          cases.add(
              kafka(
                  topic,
                  "truncated JSON",
                  "k",
                  good.substring(0, good.length() / 2) + CANARY,
                  type));
          cases.add(kafka(topic, "empty value", "k", "", type));
          cases.add(kafka(topic, "null value (tombstone)", "k", (byte[]) null, type));
          cases.add(kafka(topic, "JSON array value", "k", "[\"" + CANARY + "\"]", type));
          cases.add(kafka(topic, "JSON string value", "k", "\"" + CANARY + "\"", type));
          cases.add(kafka(topic, "JSON number value", "k", "18446744073709551617", type));
          cases.add(kafka(topic, "empty object", "k", "{}", type));
          cases.add(kafka(topic, "wrong JSON types", "k", wrongTypes(type), type));
          cases.add(
              kafka(topic, "number 2^64+1", "k", hugeNumber(type, "18446744073709551617"), type));
          cases.add(kafka(topic, "number 1e400", "k", hugeNumber(type, "1e400"), type));
          cases.add(
              kafka(
                  topic,
                  "bad UTF-8 value",
                  "k",
                  concat(
                      good.substring(0, 10).getBytes(StandardCharsets.UTF_8),
                      new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFE},
                      good.substring(10).getBytes(StandardCharsets.UTF_8)),
                  type));
          cases.add(
              kafka(
                  topic,
                  "huge non-JSON value (900 KB)",
                  "k",
                  CANARY + " " + "z".repeat(900_000),
                  type));
          cases.add(
              kafka(
                  topic,
                  "huge JSON value (an id of 900 KB)",
                  "k",
                  good.replaceFirst(
                      "\"(orderId|userId)\":\"[^\"]*\"", "\"$1\":\"" + "p".repeat(900_000) + "\""),
                  type));
          if (!COMPACTED.contains(topic)) {
            cases.add(
                kafkaRaw(
                    topic,
                    "null key and no ce_id",
                    null,
                    good,
                    Map.of("ce_type", type, "ce_source", "/suite")));
          }
        });
    // a cancellation (handled by inventory's release route) that is not JSON
    cases.add(
        kafka(
            "orders.events", "OrderCancelled non-JSON", "k", CANARY + " cancel", "OrderCancelled"));
    cases.add(
        kafka(
            "orders.events",
            "OrderCancelled without orderId",
            "k",
            "{\"reason\":\"x\"}",
            "OrderCancelled"));
    cases.add(
        kafka(
            "inventory.events",
            "InventoryRejected non-JSON",
            "k",
            CANARY + " rejected",
            "InventoryRejected"));
    cases.add(
        kafka(
            "payments.events",
            "PaymentFailed wrong types",
            "k",
            "{\"paymentId\":1,\"orderId\":[],\"amount\":\"x\"}",
            "PaymentFailed"));
    return cases;
  }

  static String validData(String type) {
    String orderId = "order-suite-" + RUN;
    return switch (type) {
      case "OrderCreated" -> JSON.valueToTree(orderNode()).get("data").toString();
      case "InventoryReserved" ->
          "{\"orderId\":\"" + orderId + "\",\"lines\":[{\"sku\":\"SKU-X\",\"quantity\":1}]}";
      case "PaymentSucceeded" ->
          "{\"paymentId\":\"pay-suite\",\"orderId\":\""
              + orderId
              + "\",\"amount\":{\"value\":1,\"currency\":\"EUR\"}}";
      case "UserProfileUpdated" -> ProfileEvents.data("user-suite-" + RUN, 1, List.of("name"));
      default -> throw new IllegalArgumentException(type);
    };
  }

  static String wrongTypes(String type) {
    return switch (type) {
      case "OrderCreated" ->
          "{\"orderId\":7,\"customerId\":true,\"lines\":\"" + CANARY + "\",\"amount\":[]}";
      case "InventoryReserved" -> "{\"orderId\":{\"a\":1},\"lines\":\"" + CANARY + "\"}";
      case "PaymentSucceeded" -> "{\"paymentId\":[],\"orderId\":1,\"amount\":\"" + CANARY + "\"}";
      default ->
          "{\"userId\":5,\"version\":\"" + CANARY + "\",\"email\":[],\"changedFields\":\"name\"}";
    };
  }

  static String hugeNumber(String type, String number) {
    String good = validData(type);
    return switch (type) {
      case "OrderCreated", "InventoryReserved" ->
          good.replaceFirst("\"quantity\":\\d+", "\"quantity\":" + number);
      case "PaymentSucceeded" -> good.replaceFirst("\"value\":\\d+", "\"value\":" + number);
      default -> good.replaceFirst("\"version\":\\d+", "\"version\":" + number);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // The run
  // ---------------------------------------------------------------------------------------------

  static final class Tally {
    int cases;
    int answered4xx;
    int deadLettered;
    int skipped;
    final List<String> failures = new ArrayList<>();
  }

  @Test
  void everyBadInputIsRefusedOrDeadLetteredAndGoodEventsStillFlow() throws Exception {
    Map<String, Tally> tallies = new LinkedHashMap<>();
    List<HttpCase> http = httpCases();
    List<KafkaCase> kafka = kafkaCases();
    assertThat(http.size() + kafka.size()).as("hostile inputs").isGreaterThanOrEqualTo(200);

    for (HttpCase c : http) {
      Tally tally = tallies.computeIfAbsent(c.entry(), e -> new Tally());
      tally.cases++;
      String failure;
      try {
        long started = System.nanoTime();
        RawHttp.Response answer = RawHttp.send(port, c.request());
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis > 1000) {
          System.out.println("slow case (" + millis + " ms): " + c.entry() + " | " + c.name());
        }
        failure = judge(c.expect(), answer);
        if (failure == null) {
          tally.answered4xx++;
        }
      } catch (Exception e) {
        failure = "no answer: " + e;
      }
      if (failure != null) {
        tally.failures.add(c.name() + ": " + failure);
      }
    }

    List<Sent> sent = produce(kafka);
    awaitConsumed(sent);
    judgeKafka(sent, tallies);

    Tally good = tallies.computeIfAbsent("good events afterwards", e -> new Tally());
    goodEventsStillFlow(good);

    print(tallies);
    List<String> failures = new ArrayList<>();
    tallies.forEach((entry, t) -> t.failures.forEach(f -> failures.add(entry + " | " + f)));
    assertThat(failures).as("failing bad-input cases (%d)", failures.size()).isEmpty();
  }

  private static final Pattern STACK_TRACE =
      Pattern.compile(
          "(\\tat |\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|Caused by:|\\.java:\\d+|[a-z]\\.[\\w.]*(Exception|Error)\\b)");

  /** What is wrong with the answer to a bad input, or null when it is as expected. */
  static String judge(Expect expect, RawHttp.Response answer) {
    String body = answer.body();
    String shown = body.length() > 160 ? body.substring(0, 160) + "..." : body;
    if (expect.accepts(answer.status())) {
      return null;
    }
    if (!expect.allows(answer.status())) {
      return "answered " + answer.status() + " (expected " + expect + "): " + shown;
    }
    String type = answer.header("Content-Type");
    if (type == null || !type.startsWith("application/problem+json")) {
      return "answered "
          + answer.status()
          + " as "
          + type
          + ", not application/problem+json: "
          + shown;
    }
    if (body.contains(CANARY)) {
      return "the answer quotes the request: " + shown;
    }
    if (STACK_TRACE.matcher(body).find()) {
      return "stack trace in the answer: " + shown;
    }
    try {
      JsonNode problem = JSON.readTree(body);
      if (problem.path("status").asInt() != answer.status()
          || problem.path("title").asText("").isBlank()) {
        return "problem without status " + answer.status() + " and a title: " + shown;
      }
    } catch (Exception e) {
      return "problem body is not JSON: " + shown;
    }
    return null;
  }

  record Sent(KafkaCase c, int partition, long offset, String error) {}

  static List<Sent> produce(List<KafkaCase> cases) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    List<Sent> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (KafkaCase c : cases) {
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(
                c.topic(),
                c.key() == null ? null : c.key().getBytes(StandardCharsets.UTF_8),
                c.value());
        c.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
          RecordMetadata meta = producer.send(record).get();
          sent.add(new Sent(c, meta.partition(), meta.offset(), null));
        } catch (Exception e) {
          sent.add(new Sent(c, -1, -1, "the broker refused it: " + e.getMessage()));
        }
      }
    }
    return sent;
  }

  static String groupOf(HubConsumer consumer) {
    return hub.context().resolvePropertyPlaceholders(consumer.group());
  }

  /** Waits until every consumer group has committed past every record sent to its topics. */
  static void awaitConsumed(List<Sent> sent) {
    try {
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> lagging(sent).isEmpty());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // reported per case by judgeKafka
    }
  }

  /** The consumer groups that have not committed past each record (record -> groups). */
  static Map<Sent, List<String>> lagging(List<Sent> sent) throws Exception {
    Map<Sent, List<String>> lagging = new LinkedHashMap<>();
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers());
    try (Admin admin = Admin.create(props)) {
      for (HubConsumer consumer : CONSUMERS) {
        String group = groupOf(consumer);
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        for (Sent s : sent) {
          if (s.error() != null || !consumer.topics().contains(s.c().topic())) {
            continue;
          }
          OffsetAndMetadata at = committed.get(new TopicPartition(s.c().topic(), s.partition()));
          if (at == null || at.offset() <= s.offset()) {
            lagging.computeIfAbsent(s, k -> new ArrayList<>()).add(group);
          }
        }
      }
    }
    return lagging;
  }

  static void judgeKafka(List<Sent> sent, Map<String, Tally> tallies) throws Exception {
    Map<Sent, List<String>> lagging = lagging(sent);
    Map<String, List<ConsumerRecord<byte[], byte[]>>> deadLetters = new LinkedHashMap<>();
    for (Sent s : sent) {
      Tally tally = tallies.computeIfAbsent("kafka " + s.c().topic(), e -> new Tally());
      tally.cases++;
      List<String> problems = new ArrayList<>();
      if (s.error() != null) {
        problems.add(s.error());
      }
      if (lagging.containsKey(s)) {
        problems.add("not committed (lost or stuck) by " + lagging.get(s));
      }
      // how many dead letters of this record each service's DLQ topic must hold
      Map<String, Integer> wanted = new LinkedHashMap<>();
      Map<String, List<String>> skippers = new LinkedHashMap<>();
      for (HubConsumer consumer : CONSUMERS) {
        if (!consumer.topics().contains(s.c().topic())) {
          continue;
        }
        String dlq = s.c().topic() + "." + consumer.service() + ".dlq";
        wanted.putIfAbsent(dlq, 0);
        if (expected(consumer, s.c()) == Outcome.DEAD_LETTER) {
          wanted.merge(dlq, 1, Integer::sum);
        } else {
          skippers.computeIfAbsent(dlq, k -> new ArrayList<>()).add(groupOf(consumer));
        }
      }
      for (Map.Entry<String, Integer> w : wanted.entrySet()) {
        List<ConsumerRecord<byte[], byte[]>> letters =
            deadLetters.computeIfAbsent(w.getKey(), BadInputSuiteIT::readTopic).stream()
                .filter(r -> s.c().topic().equals(header(r, "hub_dlq_origin_topic")))
                .filter(
                    r ->
                        String.valueOf(s.partition()).equals(header(r, "hub_dlq_origin_partition")))
                .filter(r -> String.valueOf(s.offset()).equals(header(r, "hub_dlq_origin_offset")))
                .toList();
        String service = w.getKey().substring(s.c().topic().length() + 1, w.getKey().length() - 4);
        if (w.getValue() == 0 && !letters.isEmpty()) {
          problems.add(
              service
                  + " dead-lettered a type it does not handle (reason: "
                  + header(letters.get(0), "hub_dlq_reason")
                  + ")");
        } else if (letters.size() < w.getValue()) {
          problems.add(
              service
                  + " did not dead-letter it ("
                  + letters.size()
                  + " of "
                  + w.getValue()
                  + " in "
                  + w.getKey()
                  + ")");
        } else {
          tally.deadLettered += w.getValue();
        }
        tally.skipped += skippers.getOrDefault(w.getKey(), List.of()).size();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
          String reason = header(letter, "hub_dlq_reason");
          if (reason == null || reason.isBlank()) {
            problems.add(service + "'s dead letter has no hub_dlq_reason");
          } else if (reason.contains(CANARY)
              || reason.contains("zzzzzzzz")
              || reason.contains("pppppppp")) {
            problems.add(service + "'s hub_dlq_reason quotes the record: " + abbreviate(reason));
          }
        }
      }
      if (!problems.isEmpty()) {
        tally.failures.add(s.c().name() + ": " + String.join("; ", problems));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Good events afterwards
  // ---------------------------------------------------------------------------------------------

  static void goodEventsStillFlow(Tally tally) {
    tally.cases = 2;
    try {
      for (String sku : List.of(SKU_A, SKU_B)) {
        RawHttp.Response stock =
            RawHttp.send(
                port,
                bearer(Request.of("PUT", "/api/inventory/" + sku))
                    .header("Content-Type", "application/json")
                    .body("{\"available\": 10}"));
        if (stock.status() != 200) {
          tally.failures.add(
              "setting stock of " + sku + " answered " + stock.status() + ": " + stock.body());
          return;
        }
      }
      String orderEvent = order();
      String orderId = JSON.readTree(orderEvent).at("/data/orderId").asText();
      RawHttp.Response accepted =
          RawHttp.send(
              port,
              bearer(Request.of("POST", "/api/events"))
                  .header("Content-Type", CE)
                  .body(orderEvent));
      if (accepted.status() != 202) {
        tally.failures.add(
            "a good OrderCreated answered " + accepted.status() + ": " + accepted.body());
      } else {
        await("the shipping stand-in receives the order")
            .atMost(WAIT)
            .until(() -> standInReceived("shipping", orderId));
        await("the order is known").atMost(WAIT).until(() -> orderStatus(orderId) != null);
        String callback =
            paymentCallback("payment.succeeded").replaceAll("order-suite-[^\"]+", orderId);
        long now = System.currentTimeMillis() / 1000;
        RawHttp.Response paid =
            RawHttp.send(
                port,
                Request.of("POST", "/callbacks/payments")
                    .header("Content-Type", "application/json")
                    .header("Stripe-Signature", Signatures.stripe(paymentSecret, now, callback))
                    .body(callback));
        if (paid.status() / 100 != 2) {
          tally.failures.add(
              "a good payment callback answered " + paid.status() + ": " + paid.body());
        } else {
          await("the order is confirmed")
              .atMost(WAIT)
              .until(() -> "CONFIRMED".equals(orderStatus(orderId)));
        }
      }
      String userId = ProfileEvents.newUserId();
      String profile =
          ProfileEvents.cloudEvent(ProfileEvents.newEventId(), userId, 1, List.of("name"));
      RawHttp.Response profileAccepted =
          RawHttp.send(
              port,
              bearer(Request.of("POST", "/api/events")).header("Content-Type", CE).body(profile));
      if (profileAccepted.status() != 202) {
        tally.failures.add(
            "a good UserProfileUpdated answered "
                + profileAccepted.status()
                + ": "
                + profileAccepted.body());
      } else {
        await("the notification stand-in receives the update")
            .atMost(WAIT)
            .until(() -> standInReceived("notification", userId));
      }
    } catch (Exception | AssertionError e) {
      tally.failures.add("good events did not flow: " + e);
    }
  }

  static boolean standInReceived(String service, String text) throws Exception {
    RawHttp.Response seen = RawHttp.send(port, Request.of("GET", "/stand-ins/" + service));
    for (JsonNode call : JSON.readTree(seen.body()).path("calls")) {
      if (call.path("body").asText().contains(text)) {
        return true;
      }
    }
    return false;
  }

  static String orderStatus(String orderId) throws Exception {
    RawHttp.Response answer =
        RawHttp.send(port, bearer(Request.of("GET", "/api/orders/" + orderId)));
    return answer.status() == 200 ? JSON.readTree(answer.body()).path("status").asText() : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Summary
  // ---------------------------------------------------------------------------------------------

  static void print(Map<String, Tally> tallies) {
    StringBuilder out = new StringBuilder("\nBad-input suite\n");
    String row = "%-34s %6s %6s %6s %6s %6s%n";
    out.append(String.format(row, "entry point", "cases", "4xx", "DLQ", "skip", "fail"));
    int[] total = new int[5];
    tallies.forEach(
        (entry, t) -> {
          out.append(
              String.format(
                  row,
                  entry,
                  t.cases,
                  t.answered4xx,
                  t.deadLettered,
                  t.skipped,
                  t.failures.size()));
          total[0] += t.cases;
          total[1] += t.answered4xx;
          total[2] += t.deadLettered;
          total[3] += t.skipped;
          total[4] += t.failures.size();
        });
    out.append(String.format(row, "total", total[0], total[1], total[2], total[3], total[4]));
    out.append("(DLQ and skip count consumers: one record on orders.events has four)\n");
    tallies.forEach(
        (entry, t) ->
            t.failures.forEach(
                f -> out.append("FAIL ").append(entry).append(" | ").append(f).append('\n')));
    System.out.println(out);
    try {
      // also kept beside the failsafe reports
      Files.writeString(Path.of("target", "bad-input-suite.txt"), out);
    } catch (java.io.IOException e) {
      System.out.println("could not write target/bad-input-suite.txt: " + e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Case builders
  // ---------------------------------------------------------------------------------------------

  static Request bearer(Request request) {
    return request.header("Authorization", "Bearer " + TOKEN);
  }

  static Request withAuth(Request request, Request carrier) {
    Request r = request;
    for (String[] h : carrier.headers()) {
      r = r.header(h[0], h[1]);
    }
    return r;
  }

  static Request many(Request request, int count, int size) {
    Request r = request;
    for (int i = 0; i < count; i++) {
      r = r.header("X-Filler-" + i, "f".repeat(size));
    }
    return r;
  }

  /** A good OrderCreated CloudEvent (fresh ids, the suite's SKUs) as a tree. */
  static ObjectNode orderNode() {
    try {
      ObjectNode event =
          (ObjectNode) JSON.readTree(Files.readString(Path.of("samples", "order-created.json")));
      String n = RUN + "-" + UUID.randomUUID().toString().substring(0, 8);
      event.put("id", "evt-suite-" + n);
      event.put("subject", "order-suite-" + n);
      ObjectNode data = (ObjectNode) event.get("data");
      data.put("orderId", "order-suite-" + n);
      ((ObjectNode) data.get("lines").get(0)).put("sku", SKU_A);
      ((ObjectNode) data.get("lines").get(1)).put("sku", SKU_B);
      return event;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String order() {
    return orderNode().toString();
  }

  static HttpCase events(String name, String body, Expect expect) {
    return eventsBytes(name, body.getBytes(StandardCharsets.UTF_8), expect);
  }

  static HttpCase eventsBytes(String name, byte[] body, Expect expect) {
    return new HttpCase(
        EVENTS,
        name,
        bearer(Request.of("POST", "/api/events")).header("Content-Type", CE).body(body),
        expect);
  }

  static HttpCase eventsTyped(String name, String contentType, String body, Expect expect) {
    Request r = bearer(Request.of("POST", "/api/events"));
    if (contentType != null) {
      r = r.header("Content-Type", contentType);
    }
    return new HttpCase(EVENTS, name, r.body(body), expect);
  }

  static HttpCase event(String name, Consumer<ObjectNode> change, Expect expect) {
    ObjectNode e = orderNode();
    change.accept(e);
    return events(name, e.toString(), expect);
  }

  static HttpCase data(String name, Consumer<ObjectNode> change, Expect expect) {
    return event(name, e -> change.accept((ObjectNode) e.get("data")), expect);
  }

  static HttpCase line(String name, Consumer<ObjectNode> change, Expect expect) {
    return data(name, d -> change.accept((ObjectNode) d.get("lines").get(0)), expect);
  }

  static HttpCase lineRaw(String name, String quantity, Expect expect) {
    return events(name, order().replaceFirst("\"quantity\":2", "\"quantity\":" + quantity), expect);
  }

  static HttpCase amount(String name, Consumer<ObjectNode> change, Expect expect) {
    return data(name, d -> change.accept((ObjectNode) d.get("amount")), expect);
  }

  static HttpCase amountRaw(String name, String value, Expect expect) {
    return events(name, order().replaceFirst("\"value\":42\\.5", "\"value\":" + value), expect);
  }

  static HttpCase profile(String name, String version, Expect expect) {
    String event =
        ProfileEvents.cloudEvent(
            ProfileEvents.newEventId(), ProfileEvents.newUserId(), 1, List.of("name"));
    return events(
        "UserProfileUpdated " + name,
        event.replaceFirst("\"version\":1", "\"version\":" + version),
        expect);
  }

  static String paymentSecretOf() {
    try (InputStream in = Files.newInputStream(DEV_PROFILE)) {
      Properties dev = new Properties();
      dev.load(in);
      return dev.getProperty("hub.callbacks.payments.secret");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String paymentCallback(String type) {
    String n = RUN + "-" + UUID.randomUUID().toString().substring(0, 8);
    return "{\"id\":\"gw-suite-"
        + n
        + "\",\"type\":\""
        + type
        + "\",\"data\":{\"paymentId\":\"pay-suite-"
        + n
        + "\",\"orderId\":\"order-suite-"
        + n
        + "\",\"amount\":{\"value\":42.5,\"currency\":\"EUR\"}}}";
  }

  static HttpCase payment(String name, String body, Map<String, String> headers, Expect expect) {
    Map<String, String> h = headers;
    if (h == null) {
      h =
          webhooks(
              paymentSecretOf(),
              "msg_" + UUID.randomUUID(),
              System.currentTimeMillis() / 1000,
              body);
    }
    Request r =
        Request.of("POST", "/callbacks/payments").header("Content-Type", "application/json");
    for (Map.Entry<String, String> e : h.entrySet()) {
      r = r.header(e.getKey(), e.getValue());
    }
    return new HttpCase(PAYMENTS, name, r.body(body), expect);
  }

  static Map<String, String> webhooks(String secret, String id, long t, String body) {
    Map<String, String> h = new LinkedHashMap<>();
    if (id != null) {
      h.put("webhook-id", id);
    }
    h.put("webhook-timestamp", String.valueOf(t));
    h.put("webhook-signature", Signatures.standardWebhooks(secret, id == null ? "" : id, t, body));
    return h;
  }

  static Map<String, String> with(Map<String, String> headers, String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return h;
  }

  static Map<String, String> without(Map<String, String> headers, String name) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.remove(name);
    return h;
  }

  static KafkaCase kafka(String topic, String name, String key, String value, String type) {
    return kafka(
        topic, name, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), type);
  }

  static KafkaCase kafka(String topic, String name, String key, byte[] value, String type) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ce_specversion", "1.0");
    headers.put("ce_id", "evt-suite-k-" + RUN + "-" + UUID.randomUUID());
    headers.put("ce_source", "/suite");
    headers.put("ce_time", "2026-12-01T00:00:00Z");
    if (type != null) {
      headers.put("ce_type", type);
    }
    return new KafkaCase(topic, name, key, value, headers);
  }

  /** A record with exactly these headers (no ce_* added). */
  static KafkaCase kafkaRaw(
      String topic, String name, String key, String value, Map<String, String> headers) {
    return new KafkaCase(topic, name, key, value.getBytes(StandardCharsets.UTF_8), headers);
  }

  static List<ConsumerRecord<byte[], byte[]>> readTopic(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      var info = consumer.partitionsFor(topic);
      if (info == null || info.isEmpty()) {
        return records;
      }
      List<TopicPartition> partitions =
          info.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  static String header(ConsumerRecord<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static String abbreviate(String text) {
    return text.length() > 120 ? text.substring(0, 120) + "..." : text;
  }

  static byte[] concat(byte[]... parts) {
    int size = 0;
    for (byte[] p : parts) {
      size += p.length;
    }
    byte[] all = new byte[size];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
