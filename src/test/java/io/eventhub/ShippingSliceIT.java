package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first slice end to end on the real engines: an event posted to /api/events reaches a real
 * HTTP server standing in for shipping, exactly once, whatever fails on the way.
 */
class ShippingSliceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int MAX_REDELIVERIES = 2;

  private static FakeService shipping;
  private static HubRunner hub;

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    shipping = new FakeService();
    hub =
        new HubRunner(
            Map.of(
                "hub.services.shipping.url", shipping.url("/shipments"),
                "hub.retry.max-redeliveries", String.valueOf(MAX_REDELIVERIES),
                "hub.retry.initial-delay-ms", "100",
                "hub.retry.max-delay-ms", "400",
                "hub.kafka.partitions", "3"));
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
    shipping.close();
  }

  @AfterEach
  void shippingBackUp() {
    shipping.answer(200);
  }

  @Test
  void postedEventReachesShippingExactlyOnceAsAStructuredCloudEvent() throws Exception {
    String[] event = Events.orderCreated();

    HttpResponse<String> response = postEvent(event[1]);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(response.body()).get("id").asText()).isEqualTo(event[0]);
    await().atMost(WAIT).until(() -> shipping.acceptedFor(event[0]) == 1);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> shipping.callsFor(event[0]).size() == 1);
    FakeService.Call call = shipping.callsFor(event[0]).get(0);
    assertThat(call.idempotencyKey()).isEqualTo("/shop/checkout " + event[0]);
    assertThat(call.path()).isEqualTo("/shipments");
    assertThat(call.contentType()).startsWith("application/cloudevents+json");
    JsonNode sent = JSON.readTree(call.body());
    assertThat(sent.get("specversion").asText()).isEqualTo("1.0");
    assertThat(sent.get("id").asText()).isEqualTo(event[0]);
    assertThat(sent.get("type").asText()).isEqualTo("OrderCreated");
    assertThat(sent.at("/data/lines/0/sku").asText()).isEqualTo("SKU-RED-MUG");
  }

  @Test
  void theSameEventIdPostedTwiceIsPublishedAndDeliveredOnce() throws Exception {
    String[] event = Events.orderCreated();

    assertThat(postEvent(event[1]).statusCode()).isEqualTo(202);
    HttpResponse<String> again = postEvent(event[1]);

    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(again.body()).get("id").asText()).isEqualTo(event[0]);
    assertThat(KafkaProbe.countWithHeader("orders.events", "ce_id", event[0])).isOne();
    await().atMost(WAIT).until(() -> shipping.acceptedFor(event[0]) == 1);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> shipping.callsFor(event[0]).size() == 1);
  }

  @Test
  void twoOrdersWithTheSameEventIdFromTwoSourcesBothReachShipping() throws Exception {
    String[] event = Events.orderCreated();
    String other =
        Events.orderCreated()[1]
            .replaceAll("\"id\": \"evt-[^\"]*\"", "\"id\": \"" + event[0] + "\"")
            .replace("\"/shop/checkout\"", "\"/shop/marketplace\"");

    assertThat(postEvent(event[1]).statusCode()).isEqualTo(202);
    assertThat(postEvent(other).statusCode()).isEqualTo(202);
    // each again: intake and shipping know each by its (source, id)
    assertThat(postEvent(event[1]).statusCode()).isEqualTo(202);
    assertThat(postEvent(other).statusCode()).isEqualTo(202);

    assertThat(KafkaProbe.countWithHeader("orders.events", "ce_id", event[0])).isEqualTo(2);
    await()
        .atMost(WAIT)
        .until(
            () ->
                shipping.callsFor("/shop/checkout", event[0]).size() == 1
                    && shipping.callsFor("/shop/marketplace", event[0]).size() == 1);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> shipping.callsFor(event[0]).size() == 2);
    assertThat(shipping.callsFor(event[0]))
        .extracting(c -> JSON.readTree(c.body()).get("source").asText())
        .containsExactlyInAnyOrder("/shop/checkout", "/shop/marketplace");
  }

  @Test
  void aClientCannotPostEventsWithTheHubsOwnSource() throws Exception {
    String[] event = Events.orderCreated();

    assertProblem(
        postEvent(event[1].replace("\"/shop/checkout\"", "\"/hub/order-saga\"")),
        403,
        "the hub's own");

    assertThat(KafkaProbe.countWithHeader("orders.events", "ce_id", event[0])).isZero();
  }

  @Test
  void badInputIsAnsweredWithAProblemAndNothingIsPublished() throws Exception {
    // other routes of the hub publish OrderCancelled here meanwhile: count what intake publishes
    long before = KafkaProbe.countWithHeader("orders.events", "ce_type", "OrderCreated");
    String valid = Events.orderCreated()[1];

    assertProblem(postEvent("{\"specversion\": \"1.0\", "), 400, "not valid JSON");
    assertProblem(
        postEvent(valid.replace("\"type\": \"OrderCreated\"", "\"type\": \"OrderShredded\"")),
        400,
        "OrderShredded");
    assertProblem(
        postEvent(valid.replace("\"currency\": \"EUR\"", "\"currency\": 978")), 400, "schema");
    assertProblem(postEvent(valid.replace("\"id\": \"evt-", "\"ident\": \"evt-")), 400, "id");
    assertProblem(
        Http.post(hub.url("/api/events"), "text/plain", valid),
        415,
        "application/cloudevents+json");
    String oversized =
        valid.replace("\"customer-7\"", "\"customer-7\", \"note\": \"" + "x".repeat(70_000) + "\"");
    assertProblem(postEvent(oversized), 413, "limit");
    // far over any limit: the HTTP server refuses it before reading it (camel.server.max-body-size)
    assertThat(postEvent("x".repeat(2 * 1024 * 1024)).statusCode()).isEqualTo(413);

    assertProblem(
        postEvent(valid.replace("\"type\": \"OrderCreated\"", "\"type\": \"OrderConfirmed\"")),
        403,
        "published by the hub");

    assertThat(KafkaProbe.countWithHeader("orders.events", "ce_type", "OrderCreated"))
        .isEqualTo(before);
  }

  @Test
  void shippingDownRetriesThenDeadLettersThenReplayDeliversOnce() throws Exception {
    shipping.answer(503);
    String[] event = Events.orderCreated();

    assertThat(postEvent(event[1]).statusCode()).isEqualTo(202);

    JsonNode deadLetter = awaitDeadLetter(event[0]);
    assertThat(shipping.callsFor(event[0])).hasSize(1 + MAX_REDELIVERIES);
    assertThat(deadLetter.get("reason").asText()).contains("503");
    assertThat(deadLetter.get("originTopic").asText()).isEqualTo("orders.events");
    assertThat(deadLetter.get("replayed").asBoolean()).isFalse();

    shipping.answer(200);
    HttpResponse<String> replay =
        Http.post(hub.url("/api/dlq/shipping/replay"), "application/json", "");
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(replay.body()).get("replayed").asInt()).isPositive();

    await().atMost(WAIT).until(() -> shipping.acceptedFor(event[0]) == 1);
    assertThat(deadLetterOf(event[0]).get("replayed").asBoolean()).isTrue();
    // a second replay takes only dead letters that arrived since; this event stays delivered once
    HttpResponse<String> second =
        Http.post(hub.url("/api/dlq/shipping/replay"), "application/json", "");
    assertThat(second.statusCode()).isEqualTo(200);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> shipping.acceptedFor(event[0]) == 1);
  }

  @Test
  void aClientErrorFromShippingGoesToTheDeadLetterTopicWithoutRetries() throws Exception {
    shipping.answer(422);
    String[] event = Events.orderCreated();

    assertThat(postEvent(event[1]).statusCode()).isEqualTo(202);

    JsonNode deadLetter = awaitDeadLetter(event[0]);
    assertThat(deadLetter.get("reason").asText()).contains("422");
    assertThat(shipping.callsFor(event[0])).hasSize(1);
  }

  @Test
  void aMalformedRecordOnKafkaGoesToTheDeadLetterTopicWithTheReason() throws Exception {
    String eventId = "evt-poison-" + System.nanoTime();

    KafkaProbe.send(
        "orders.events",
        "order-poison",
        "this is not JSON",
        Map.of(
            "ce_id",
            eventId,
            "ce_type",
            "OrderCreated",
            "ce_source",
            "/test",
            "ce_specversion",
            "1.0"));

    JsonNode deadLetter = awaitDeadLetter(eventId);
    // the reason says where, never what: record content is not quoted into reasons or logs
    assertThat(deadLetter.get("reason").asText())
        .isEqualTo("The record value is not valid JSON at line 1, column 5");
    assertThat(deadLetter.get("exception").asText())
        .isEqualTo("io.eventhub.delivery.MalformedEventException");
    assertThat(deadLetter.get("value").asText()).isEqualTo("this is not JSON");
    assertThat(shipping.callsFor(eventId)).isEmpty();
    assertThat(deadLetter.get("attempts").asInt()).as("bad data is not retried").isEqualTo(1);
  }

  @Test
  void aServiceNameThatIsNotOneIsRejected() {
    HttpResponse<String> response = Http.get(hub.url("/api/dlq/Not_A_Service"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  private static HttpResponse<String> postEvent(String body) {
    return Http.post(hub.url("/api/events"), "application/cloudevents+json", body);
  }

  @Test
  void deadLettersAreListedPageByPageAndTwoReplaysAtOnceRepublishEachOnce() throws Exception {
    shipping.answer(503);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String[] event = Events.orderCreated();
      assertThat(postEvent(event[1]).statusCode()).isEqualTo(202);
      ids.add(event[0]);
    }
    for (String id : ids) {
      awaitDeadLetter(id);
    }
    // pages of one: each has a cursor to the next, and together they hold every dead letter
    Set<String> listed = new HashSet<>();
    String next = null;
    int pages = 0;
    do {
      HttpResponse<String> page =
          Http.get(hub.url("/api/dlq/shipping?limit=1" + (next == null ? "" : "&after=" + next)));
      assertThat(page.statusCode()).isEqualTo(200);
      JsonNode body = JSON.readTree(page.body());
      assertThat(body.get("records").size()).isLessThanOrEqualTo(1);
      body.get("records").forEach(r -> listed.add(r.path("eventId").asText()));
      next = body.hasNonNull("next") ? body.get("next").asText() : null;
      pages++;
    } while (next != null && pages < 10_000);
    assertThat(listed).containsAll(ids);
    assertThat(pages).isGreaterThanOrEqualTo(3);

    shipping.answer(200);
    // two replays at once (two instances, or a double click): one runs, the other is refused or
    // finds nothing left
    ExecutorService clients = Executors.newFixedThreadPool(2);
    try {
      List<Future<HttpResponse<String>>> replays = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        replays.add(
            clients.submit(
                () -> Http.post(hub.url("/api/dlq/shipping/replay"), "application/json", "")));
      }
      for (Future<HttpResponse<String>> replay : replays) {
        assertThat(replay.get().statusCode()).isIn(200, 409);
      }
    } finally {
      clients.shutdown();
    }
    for (String id : ids) {
      await().atMost(WAIT).until(() -> shipping.acceptedFor(id) == 1);
    }
    // the replay group's offsets gone (expired, reset): the markers still say what was replayed
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers()))) {
      admin.deleteConsumerGroups(List.of("hub-dlq-replay.shipping")).all().get();
    }
    HttpResponse<String> again =
        Http.post(hub.url("/api/dlq/shipping/replay"), "application/json", "");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).get("replayed").asInt()).isZero();
    for (String id : ids) {
      assertThat(shipping.callsFor(id))
          .as("each delivered once after the replay")
          .hasSize(1 + MAX_REDELIVERIES + 1);
    }
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detail)
      throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.toString())
        .contains(detail)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  private static JsonNode awaitDeadLetter(String eventId) throws Exception {
    await().atMost(WAIT).until(() -> deadLetterOf(eventId) != null);
    return deadLetterOf(eventId);
  }

  private static JsonNode deadLetterOf(String eventId) throws Exception {
    return hub.deadLetter("shipping", eventId);
  }
}
