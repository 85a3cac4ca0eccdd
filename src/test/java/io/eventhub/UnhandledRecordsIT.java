package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.CapturedLogs;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.ProfileEvents;
import io.eventhub.support.TestEngines;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records no route can handle, on the real broker: without ce_type, with a type the topic does not
 * carry, or with a value that is not JSON. Each lands in the dead letters of every service that
 * consumes the topic (of each of its routes that would handle it), with its reason and never its
 * content; the consumers go on with the next event.
 */
class UnhandledRecordsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NOT_JSON = "The record value is not valid JSON at line 1, column ";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SECRET = "4111-1111-1111-1111";

  /** The services consuming each topic, and how many of their routes handle an OrderCreated. */
  private static final Map<String, Integer> ORDER_SERVICES =
      Map.of("shipping", 1, "inventory", 1, "order-saga", 1);

  private static final List<String> USER_SERVICES =
      List.of("notification", "recommendation", "analytics", "cache-sync");

  private static FakeService outside;
  private static HubRunner hub;
  private static CapturedLogs logs;

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    outside = new FakeService();
    logs = new CapturedLogs();
    hub =
        new HubRunner(
            Map.of(
                "hub.services.shipping.url", outside.url("/shipments"),
                "hub.services.notification.url", outside.url("/emails"),
                "hub.services.recommendation.url", outside.url("/preferences"),
                "hub.retry.initial-delay-ms", "100",
                "hub.retry.max-delay-ms", "400"));
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
    outside.close();
    logs.close();
  }

  @Test
  void ordersEventsWithoutAKnownTypeOrJsonAreDeadLetteredByEveryConsumer() throws Exception {
    String data = JSON.readTree(Events.orderCreated()[1]).get("data").toString();
    String noType = send("orders.events", data, null);
    String unknownType = send("orders.events", data, "OrderShredded");
    String otherTopicsType = send("orders.events", data, "UserProfileUpdated");
    String notJson = send("orders.events", "card " + SECRET, "OrderCreated");

    String unknown =
        "the record's ce_type is not an event type of orders.events"
            + " (its types: OrderCancelled, OrderConfirmed, OrderCreated)";
    for (String service : ORDER_SERVICES.keySet()) {
      // inventory has two routes on orders.events (reservations, releases): both report these
      int routes = service.equals("inventory") ? 2 : 1;
      assertDeadLettered(service, noType, routes, "the record has no ce_type header");
      assertDeadLettered(service, unknownType, routes, unknown);
      assertDeadLettered(service, otherTopicsType, routes, unknown);
      assertDeadLettered(service, notJson, ORDER_SERVICES.get(service), NOT_JSON);
    }
    assertThat(logs.containing(SECRET)).as("record content in the logs").isEmpty();

    // the consumers went on: the next order is shipped, reserved and correlated
    String[] next = Events.orderCreated();
    assertThat(
            Http.post(hub.url("/api/events"), "application/cloudevents+json", next[1]).statusCode())
        .isEqualTo(202);
    await().atMost(WAIT).until(() -> outside.acceptedFor(next[0]) == 1);
    String orderId = JSON.readTree(next[1]).at("/data/orderId").asText();
    await()
        .atMost(WAIT)
        .until(() -> Http.get(hub.url("/api/orders/" + orderId)).statusCode() == 200);
  }

  @Test
  void usersEventsWithoutAKnownTypeOrJsonAreDeadLetteredByEveryConsumer() throws Exception {
    String userId = ProfileEvents.newUserId();
    List<String> changed = List.of("name", "preferences.categories");
    String data = ProfileEvents.data(userId, 1, changed);
    String noType = send("users.events", data, null);
    String unknownType = send("users.events", data, "UserDeleted");
    String notJson = send("users.events", "{\"email\": " + SECRET, "UserProfileUpdated");

    for (String service : USER_SERVICES) {
      assertDeadLettered(service, noType, 1, "the record has no ce_type header");
      assertDeadLettered(
          service,
          unknownType,
          1,
          "the record's ce_type is not an event type of users.events"
              + " (its types: UserProfileUpdated)");
      assertDeadLettered(service, notJson, 1, NOT_JSON);
    }
    assertThat(logs.containing(SECRET)).as("record content in the logs").isEmpty();

    // the consumers went on: the next update reaches every one of them
    String eventId = ProfileEvents.newEventId();
    assertThat(
            Http.post(
                    hub.url("/api/events"),
                    "application/cloudevents+json",
                    ProfileEvents.cloudEvent(eventId, userId, 1, changed))
                .statusCode())
        .isEqualTo(202);
    await().atMost(WAIT).until(() -> outside.acceptedFor(eventId) == 2);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Http.get(hub.url("/api/users/" + userId + "/profile")).statusCode() == 200
                    && Http.get(hub.url("/api/analytics/profile-changes?userId=" + userId))
                        .body()
                        .contains(eventId));
  }

  /** Sends a record with these CloudEvent headers (no ce_type when type is null); its ce_id. */
  private static String send(String topic, String value, String type) throws Exception {
    String eventId = "evt-unhandled-" + System.nanoTime();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ce_specversion", "1.0");
    headers.put("ce_id", eventId);
    headers.put("ce_source", "/test/bad-records");
    if (type != null) {
      headers.put("ce_type", type);
    }
    KafkaProbe.send(topic, "key-" + eventId, value, headers);
    return eventId;
  }

  private static void assertDeadLettered(String service, String eventId, int count, String reason)
      throws Exception {
    await().atMost(WAIT).until(() -> hub.deadLetters(service, eventId).size() >= count);
    List<JsonNode> records = hub.deadLetters(service, eventId);
    assertThat(records).as(service + " dead letters of " + eventId).hasSize(count);
    for (JsonNode record : records) {
      if (reason.equals(NOT_JSON)) {
        assertThat(record.get("reason").asText()).as(service).startsWith(NOT_JSON);
      } else {
        assertThat(record.get("reason").asText()).as(service).isEqualTo(reason);
      }
      assertThat(record.get("exception").asText())
          .isEqualTo("io.eventhub.delivery.MalformedEventException");
      assertThat(record.get("attempts").asInt()).as("never retried").isEqualTo(1);
    }
  }
}
