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
import io.eventhub.support.Signatures;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * What the order-story tests share: a hub ({@link #hub}, set by each test class), the outside
 * services, stock set through the API, orders posted to intake, signed payment callbacks, and the
 * order's status read back.
 */
abstract class OrderStoryTestBase {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = "whsec_c2FnYS1pdC1zZWNyZXQ=";
  static final Duration WAIT = Duration.ofSeconds(60);

  static FakeService outside;
  static HubRunner hub;

  static Map<String, String> properties(String paymentTimeout) {
    return Map.of(
        "hub.services.shipping.url",
        outside.url("/shipping"),
        "hub.services.payments.url",
        outside.url("/payments/refunds"),
        "hub.callbacks.payments.secret",
        SECRET,
        "hub.orders.payment-timeout",
        paymentTimeout,
        "hub.orders.timeout-check-ms",
        "300",
        "hub.orders.relay-period-ms",
        "500",
        "hub.refunds.relay-period-ms",
        "300",
        "hub.kafka.partitions",
        "3");
  }

  @AfterAll
  static void stopHub() throws Exception {
    if (hub != null) {
      hub.close();
      hub = null;
    }
    if (outside != null) {
      outside.close();
      outside = null;
    }
  }

  /** Two new SKUs, each with this many units, set through the stock API. */
  record Skus(String first, String second) {}

  static Skus stocked(int units) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Skus skus = new Skus("MUG-" + tag, "CAP-" + tag);
    setStock(skus.first(), units);
    setStock(skus.second(), units);
    return skus;
  }

  static void setStock(String sku, int units) {
    HttpResponse<String> response =
        Http.put(
            hub.url("/api/inventory/" + sku), "application/json", "{\"available\": " + units + "}");
    assertThat(response.statusCode()).isEqualTo(200);
  }

  /** "available/reserved" of a SKU, as GET /api/inventory/{sku} answers. */
  static String stock(String sku) throws Exception {
    JsonNode level = JSON.readTree(Http.get(hub.url("/api/inventory/" + sku)).body());
    return level.get("available").asInt() + "/" + level.get("reserved").asInt();
  }

  static String postOrder(Skus skus) throws Exception {
    return postOrder(hub, skus);
  }

  static String postOrder(HubRunner target, Skus skus) throws Exception {
    String[] event = Events.orderCreated(skus.first(), skus.second());
    assertThat(
            Http.post(target.url("/api/events"), "application/cloudevents+json", event[1])
                .statusCode())
        .isEqualTo(202);
    return JSON.readTree(event[1]).at("/data/orderId").asText();
  }

  /** An InventoryRejected that arrives after the order was decided (e.g. replayed from a DLQ). */
  static void lateInventoryRejection(String orderId) throws Exception {
    KafkaProbe.send(
        "inventory.events",
        orderId,
        Fixtures.text("inventory-rejected", "orderId", orderId, "reason", "OUT_OF_STOCK"),
        Map.of(
            "ce_id", "inv-late-" + UUID.randomUUID(),
            "ce_type", "InventoryRejected",
            "ce_source", "/hub/inventory",
            "ce_specversion", "1.0"));
  }

  static HttpResponse<String> payment(String orderId, String type, String paymentId) {
    return signedPost(callback(orderId, type, paymentId));
  }

  static String callback(String orderId, String type, String paymentId) {
    return Fixtures.callback(type, "gw-" + UUID.randomUUID(), paymentId, orderId);
  }

  static HttpResponse<String> signedPost(String body) {
    return Http.post(
        hub.url("/callbacks/payments"),
        "application/json",
        body,
        Signatures.stripeHeaderNow(SECRET, body));
  }

  static JsonNode awaitStatus(String orderId, String status) throws Exception {
    await().atMost(WAIT).until(() -> statusOf(orderId).equals(status));
    return orderOf(orderId);
  }

  static void awaitOutcomePublished(String orderId, String type, String reason) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                KafkaProbe.readAll("orders.events").stream()
                    .anyMatch(
                        r ->
                            orderId.equals(r.key())
                                && type.equals(KafkaProbe.header(r, "ce_type"))
                                && (reason == null || r.value().contains(reason))));
  }

  static String statusOf(String orderId) throws Exception {
    return statusOf(hub, orderId);
  }

  static String statusOf(HubRunner target, String orderId) throws Exception {
    HttpResponse<String> response = Http.get(target.url("/api/orders/" + orderId));
    return response.statusCode() == 200
        ? JSON.readTree(response.body()).get("status").asText()
        : "";
  }

  static JsonNode orderOf(String orderId) throws Exception {
    return JSON.readTree(Http.get(hub.url("/api/orders/" + orderId)).body());
  }
}
