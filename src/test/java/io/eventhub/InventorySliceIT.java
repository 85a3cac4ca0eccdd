package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Fixtures;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inventory end to end on the real broker and PostgreSQL, as a client sees it: stock set over
 * HTTP, an order posted as a CloudEvent, InventoryReserved on inventory.events, the stock level
 * changed; the order cancelled, the stock back.
 */
class InventorySliceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

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
                "hub.inventory.isolation", "SERIALIZABLE",
                "hub.inventory.locking", "optimistic",
                "hub.kafka.partitions", "3"));
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
    shipping.close();
  }

  @Test
  void anOrderReservesItsStockAndItsCancellationGivesItBack() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String mug = "SKU-RED-MUG-" + suffix;
    String cap = "SKU-BLUE-CAP-" + suffix;
    assertThat(put(mug, Events.sample("stock-red-mug.json")).statusCode()).isEqualTo(200);
    assertThat(put(cap, Events.sample("stock-blue-cap.json")).statusCode()).isEqualTo(200);
    String[] order = Events.orderCreated();
    String orderId = JSON.readTree(order[1]).at("/data/orderId").asText();
    String created = order[1].replace("SKU-RED-MUG", mug).replace("SKU-BLUE-CAP", cap);

    assertThat(postEvent(created).statusCode()).isEqualTo(202);

    Map<String, String> reserved = awaitInventoryEvent(orderId);
    assertThat(reserved.get("ce_type")).isEqualTo("InventoryReserved");
    assertThat(reserved.get("key")).isEqualTo(orderId);
    assertThat(JSON.readTree(reserved.get("value")).get("lines")).hasSize(2);
    assertThat(level(mug)).isEqualTo("{\"sku\":\"" + mug + "\",\"available\":8,\"reserved\":2}");
    assertThat(level(cap)).isEqualTo("{\"sku\":\"" + cap + "\",\"available\":0,\"reserved\":1}");

    // as the order saga publishes it (clients cannot post OrderCancelled)
    KafkaProbe.send(
        "orders.events",
        orderId,
        Fixtures.text("order-cancelled", "orderId", orderId, "reason", "PAYMENT_FAILED"),
        Map.of(
            "ce_id", "evt-cancel-" + suffix,
            "ce_type", "OrderCancelled",
            "ce_source", "/hub/order-saga",
            "ce_specversion", "1.0"));

    await()
        .atMost(WAIT)
        .until(
            () -> level(mug).equals("{\"sku\":\"" + mug + "\",\"available\":10,\"reserved\":0}"));
    assertThat(level(cap)).isEqualTo("{\"sku\":\"" + cap + "\",\"available\":1,\"reserved\":0}");
  }

  @Test
  void anOrderThatCannotBeServedIsRejectedWithTheReason() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String mug = "SKU-RED-MUG-" + suffix;
    assertThat(put(mug, "{\"available\": 1}").statusCode()).isEqualTo(200);
    String[] order = Events.orderCreated();
    String orderId = JSON.readTree(order[1]).at("/data/orderId").asText();
    // two mugs wanted, one in stock; the cap SKU was never set up
    String created = order[1].replace("SKU-RED-MUG", mug);

    assertThat(postEvent(created).statusCode()).isEqualTo(202);

    Map<String, String> rejected = awaitInventoryEvent(orderId);
    assertThat(rejected.get("ce_type")).isEqualTo("InventoryRejected");
    assertThat(JSON.readTree(rejected.get("value")).get("reason").asText())
        .isEqualTo("UNKNOWN_SKU");
    assertThat(level(mug)).isEqualTo("{\"sku\":\"" + mug + "\",\"available\":1,\"reserved\":0}");
  }

  @Test
  void badStockLevelsAreProblems() throws Exception {
    HttpResponse<String> negative = put("SKU-RED-MUG", "{\"available\": -4}");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(negative.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(put("bad!sku", "{\"available\": 4}").statusCode()).isEqualTo(400);
    HttpResponse<String> unknown =
        Http.get(hub.url("/api/inventory/SKU-NEVER-" + UUID.randomUUID()));
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  private static Map<String, String> awaitInventoryEvent(String orderId) {
    await().atMost(WAIT).until(() -> inventoryEvents(orderId).size() == 1);
    return inventoryEvents(orderId).get(0);
  }

  private static List<Map<String, String>> inventoryEvents(String orderId) {
    return KafkaProbe.records("inventory.events").stream()
        .filter(r -> orderId.equals(r.get("key")))
        .toList();
  }

  private static String level(String sku) throws Exception {
    HttpResponse<String> response = Http.get(hub.url("/api/inventory/" + sku));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode level = JSON.readTree(response.body());
    return level.toString();
  }

  private static HttpResponse<String> postEvent(String body) {
    return Http.post(hub.url("/api/events"), "application/cloudevents+json", body);
  }

  private static HttpResponse<String> put(String sku, String body) {
    return Http.put(hub.url("/api/inventory/" + sku), "application/json", body);
  }
}
