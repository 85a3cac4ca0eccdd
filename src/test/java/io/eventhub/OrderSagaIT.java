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
import io.eventhub.support.Signatures;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The order story on the real engines: orders posted to intake, stock reserved by the inventory
 * routes, signed payment callbacks over HTTP, the saga's decision, and stock released when an order
 * is cancelled.
 */
class OrderSagaIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "whsec_c2FnYS1pdC1zZWNyZXQ=";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static FakeService outside;
  private static HubRunner hub;

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    outside = new FakeService();
    hub = new HubRunner(properties("5s"));
  }

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
    hub.close();
    outside.close();
  }

  @Test
  void reservedAndPaidIsConfirmed() throws Exception {
    Skus skus = stocked(10);
    String orderId = postOrder(skus);
    awaitStatus(orderId, "RESERVED");
    assertThat(payment(orderId, "payment.succeeded", "pay-" + orderId).statusCode()).isEqualTo(200);

    JsonNode order = awaitStatus(orderId, "CONFIRMED");
    assertThat(order.get("inventory").asText()).isEqualTo("RESERVED");
    assertThat(order.at("/payment/status").asText()).isEqualTo("SUCCEEDED");
    assertThat(order.at("/lines/0/sku").asText()).isEqualTo(skus.first());
    assertThat(order.get("timeline")).hasSize(3).allMatch(e -> e.get("applied").asBoolean());
    awaitOutcomePublished(orderId, "OrderConfirmed", null);
    assertThat(stock(skus.first())).isEqualTo("8/2");
  }

  @Test
  void aFailedPaymentCancelsTheOrderAndReleasesItsStock() throws Exception {
    Skus skus = stocked(10);
    String orderId = postOrder(skus);
    awaitStatus(orderId, "RESERVED");
    assertThat(stock(skus.first())).isEqualTo("8/2");

    payment(orderId, "payment.failed", "pay-" + orderId);

    JsonNode order = awaitStatus(orderId, "CANCELLED");
    assertThat(order.get("reason").asText()).isEqualTo("PAYMENT_FAILED");
    awaitOutcomePublished(orderId, "OrderCancelled", "PAYMENT_FAILED");
    await().atMost(WAIT).until(() -> stock(skus.first()).equals("10/0"));
    assertThat(stock(skus.second())).isEqualTo("10/0");
  }

  @Test
  void aPaymentBeforeItsOrderIsKeptUntilTheOrderArrives() throws Exception {
    Skus skus = stocked(10);
    String[] event = Events.orderCreated(skus.first(), skus.second());
    String orderId = JSON.readTree(event[1]).at("/data/orderId").asText();
    payment(orderId, "payment.succeeded", "pay-" + orderId);
    await().atMost(WAIT).until(() -> statusOf(orderId).equals("NEW"));

    Http.post(hub.url("/api/events"), "application/cloudevents+json", event[1]);

    awaitStatus(orderId, "CONFIRMED");
  }

  @Test
  void noPaymentInTimeCancelsTheOrderAndReleasesItsStock() throws Exception {
    Skus skus = stocked(10);
    String orderId = postOrder(skus);

    JsonNode order = awaitStatus(orderId, "CANCELLED");
    assertThat(order.get("reason").asText()).isEqualTo("PAYMENT_TIMEOUT");
    assertThat(order.get("inventory").asText()).isEqualTo("RESERVED");
    awaitOutcomePublished(orderId, "OrderCancelled", "PAYMENT_TIMEOUT");
    await().atMost(WAIT).until(() -> stock(skus.first()).equals("10/0"));
  }

  @Test
  void stockRejectedAfterPaymentCancelsAndRefundsOnce() throws Exception {
    Skus skus = stocked(10);
    setStock(skus.first(), 1);
    String[] event = Events.orderCreated(skus.first(), skus.second());
    String orderId = JSON.readTree(event[1]).at("/data/orderId").asText();
    String paymentId = "pay-" + orderId;
    payment(orderId, "payment.succeeded", paymentId);
    await().atMost(WAIT).until(() -> statusOf(orderId).equals("NEW"));

    Http.post(hub.url("/api/events"), "application/cloudevents+json", event[1]);

    JsonNode order = awaitStatus(orderId, "CANCELLED");
    assertThat(order.get("reason").asText()).isEqualTo("INVENTORY_REJECTED");
    assertThat(order.get("inventoryReason").asText()).isEqualTo("OUT_OF_STOCK");
    await().atMost(WAIT).until(() -> outside.acceptedFor("refund-" + paymentId) == 1);
    FakeService.Call refund = outside.callsFor("refund-" + paymentId).get(0);
    assertThat(refund.path()).isEqualTo("/payments/refunds");
    assertThat(JSON.readTree(refund.body()).get("orderId").asText()).isEqualTo(orderId);
    assertThat(JSON.readTree(refund.body()).at("/amount/currency").asText()).isEqualTo("EUR");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> outside.callsFor("refund-" + paymentId).size() == 1);
    assertThat(stock(skus.first())).as("nothing was reserved").isEqualTo("1/0");
  }

  @Test
  void aCallbackReplayedTenTimesHasOneEffect() throws Exception {
    String orderId = postOrder(stocked(10));
    String body = callback(orderId, "payment.succeeded", "pay-" + orderId);
    long before = KafkaProbe.recordCount("payments.events");

    for (int i = 0; i < 10; i++) {
      assertThat(signedPost(body).statusCode()).isEqualTo(200);
    }

    assertThat(KafkaProbe.recordCount("payments.events")).isEqualTo(before + 1);
    await()
        .atMost(WAIT)
        .until(() -> orderOf(orderId).at("/payment/status").asText().equals("SUCCEEDED"));
    JsonNode timeline = orderOf(orderId).get("timeline");
    assertThat(timeline)
        .filteredOn(e -> e.get("type").asText().equals("PaymentSucceeded"))
        .hasSize(1);
  }

  @Test
  void aLateEventIsRecordedButNeverMovesTheOrderBack() throws Exception {
    String orderId = postOrder(stocked(10));
    awaitStatus(orderId, "RESERVED");
    payment(orderId, "payment.succeeded", "pay-" + orderId);
    awaitStatus(orderId, "CONFIRMED");

    lateInventoryRejection(orderId);
    payment(orderId, "payment.failed", "pay-late-" + orderId);

    await().atMost(WAIT).until(() -> orderOf(orderId).get("timeline").size() == 5);
    JsonNode order = orderOf(orderId);
    assertThat(order.get("status").asText()).isEqualTo("CONFIRMED");
    assertThat(order.get("timeline")).filteredOn(e -> !e.get("applied").asBoolean()).hasSize(2);
  }

  @Test
  void unknownOrdersAreNotFound() {
    HttpResponse<String> response = Http.get(hub.url("/api/orders/no-such-order"));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void anOrderWaitingWhenTheHubStopsTimesOutAfterTheRestart() throws Exception {
    Skus skus = stocked(10);
    HubRunner first = new HubRunner(properties("1h"));
    String orderId;
    try {
      orderId = postOrder(first, skus);
      await().atMost(WAIT).until(() -> statusOf(first, orderId).equals("RESERVED"));
    } finally {
      first.close();
    }
    try (HubRunner restarted = new HubRunner(properties("1s"))) {
      await().atMost(WAIT).until(() -> statusOf(restarted, orderId).equals("CANCELLED"));
      assertThat(Http.get(restarted.url("/api/orders/" + orderId)).body())
          .contains("PAYMENT_TIMEOUT");
      await().atMost(WAIT).until(() -> stock(skus.first()).equals("10/0"));
    }
  }

  @Test
  void twoHubInstancesTimeOutEachOrderOnce() throws Exception {
    List<String> orders = new ArrayList<>();
    Skus skus = stocked(100);
    try (HubRunner second = new HubRunner(properties("2s"))) {
      for (int i = 0; i < 20; i++) {
        orders.add(postOrder(i % 2 == 0 ? hub : second, skus));
      }
      for (String orderId : orders) {
        await().atMost(WAIT).until(() -> statusOf(orderId).equals("CANCELLED"));
      }
    }
    Map<String, Integer> cancellations = new HashMap<>();
    for (ConsumerRecord<String, String> record : KafkaProbe.readAll("orders.events")) {
      if ("OrderCancelled".equals(KafkaProbe.header(record, "ce_type"))
          && orders.contains(record.key())) {
        cancellations.merge(record.key(), 1, Integer::sum);
      }
    }
    assertThat(cancellations)
        .hasSize(orders.size())
        .allSatisfy((order, count) -> assertThat(count).isOne());
  }

  /** Two new SKUs, each with this many units, set through the stock API. */
  record Skus(String first, String second) {}

  private static Skus stocked(int units) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Skus skus = new Skus("MUG-" + tag, "CAP-" + tag);
    setStock(skus.first(), units);
    setStock(skus.second(), units);
    return skus;
  }

  private static void setStock(String sku, int units) {
    HttpResponse<String> response =
        Http.put(
            hub.url("/api/inventory/" + sku), "application/json", "{\"available\": " + units + "}");
    assertThat(response.statusCode()).isEqualTo(200);
  }

  /** "available/reserved" of a SKU, as GET /api/inventory/{sku} answers. */
  private static String stock(String sku) throws Exception {
    JsonNode level = JSON.readTree(Http.get(hub.url("/api/inventory/" + sku)).body());
    return level.get("available").asInt() + "/" + level.get("reserved").asInt();
  }

  private static String postOrder(Skus skus) throws Exception {
    return postOrder(hub, skus);
  }

  private static String postOrder(HubRunner target, Skus skus) throws Exception {
    String[] event = Events.orderCreated(skus.first(), skus.second());
    assertThat(
            Http.post(target.url("/api/events"), "application/cloudevents+json", event[1])
                .statusCode())
        .isEqualTo(202);
    return JSON.readTree(event[1]).at("/data/orderId").asText();
  }

  /** An InventoryRejected that arrives after the order was decided (e.g. replayed from a DLQ). */
  private static void lateInventoryRejection(String orderId) throws Exception {
    KafkaProbe.send(
        "inventory.events",
        orderId,
        "{\"orderId\":\"" + orderId + "\",\"lines\":[],\"reason\":\"OUT_OF_STOCK\"}",
        Map.of(
            "ce_id", "inv-late-" + UUID.randomUUID(),
            "ce_type", "InventoryRejected",
            "ce_source", "/hub/inventory",
            "ce_specversion", "1.0"));
  }

  private static HttpResponse<String> payment(String orderId, String type, String paymentId) {
    return signedPost(callback(orderId, type, paymentId));
  }

  private static String callback(String orderId, String type, String paymentId) {
    return "{\"id\":\"gw-"
        + UUID.randomUUID()
        + "\",\"type\":\""
        + type
        + "\",\"data\":{\"paymentId\":\""
        + paymentId
        + "\",\"orderId\":\""
        + orderId
        + "\",\"amount\":{\"value\":42.5,\"currency\":\"EUR\"}"
        + (type.equals("payment.failed") ? ",\"failureReason\":\"card_declined\"" : "")
        + "}}";
  }

  private static HttpResponse<String> signedPost(String body) {
    return Http.post(
        hub.url("/callbacks/payments"),
        "application/json",
        body,
        Signatures.stripeHeaderNow(SECRET, body));
  }

  private static JsonNode awaitStatus(String orderId, String status) throws Exception {
    await().atMost(WAIT).until(() -> statusOf(orderId).equals(status));
    return orderOf(orderId);
  }

  private static void awaitOutcomePublished(String orderId, String type, String reason) {
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

  private static String statusOf(String orderId) throws Exception {
    return statusOf(hub, orderId);
  }

  private static String statusOf(HubRunner target, String orderId) throws Exception {
    HttpResponse<String> response = Http.get(target.url("/api/orders/" + orderId));
    return response.statusCode() == 200
        ? JSON.readTree(response.body()).get("status").asText()
        : "";
  }

  private static JsonNode orderOf(String orderId) throws Exception {
    return JSON.readTree(Http.get(hub.url("/api/orders/" + orderId)).body());
  }
}
