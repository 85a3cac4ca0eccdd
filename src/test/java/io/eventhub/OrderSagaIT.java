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
 * The order saga on the real engines: events from intake, signed payment callbacks over HTTP, and
 * inventory outcomes as the inventory service publishes them.
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
    String orderId = postOrder();
    inventory(orderId, "InventoryReserved", null);
    assertThat(payment(orderId, "payment.succeeded", "pay-" + orderId).statusCode()).isEqualTo(200);

    JsonNode order = awaitStatus(orderId, "CONFIRMED");
    assertThat(order.get("inventory").asText()).isEqualTo("RESERVED");
    assertThat(order.at("/payment/status").asText()).isEqualTo("SUCCEEDED");
    assertThat(order.at("/lines/0/sku").asText()).isEqualTo("SKU-RED-MUG");
    assertThat(order.get("timeline")).hasSize(3).allMatch(e -> e.get("applied").asBoolean());
    awaitOutcomePublished(orderId, "OrderConfirmed", null);
  }

  @Test
  void aFailedPaymentCancelsTheOrder() throws Exception {
    String orderId = postOrder();
    inventory(orderId, "InventoryReserved", null);
    payment(orderId, "payment.failed", "pay-" + orderId);

    JsonNode order = awaitStatus(orderId, "CANCELLED");
    assertThat(order.get("reason").asText()).isEqualTo("PAYMENT_FAILED");
    awaitOutcomePublished(orderId, "OrderCancelled", "PAYMENT_FAILED");
  }

  @Test
  void aPaymentBeforeItsOrderIsKeptUntilTheOrderArrives() throws Exception {
    String[] event = Events.orderCreated();
    String orderId = JSON.readTree(event[1]).at("/data/orderId").asText();
    payment(orderId, "payment.succeeded", "pay-" + orderId);
    await().atMost(WAIT).until(() -> statusOf(orderId).equals("NEW"));

    Http.post(hub.url("/api/events"), "application/cloudevents+json", event[1]);
    awaitStatus(orderId, "PENDING");
    inventory(orderId, "InventoryReserved", null);

    awaitStatus(orderId, "CONFIRMED");
  }

  @Test
  void noPaymentInTimeCancelsTheOrder() throws Exception {
    String orderId = postOrder();
    inventory(orderId, "InventoryReserved", null);

    JsonNode order = awaitStatus(orderId, "CANCELLED");
    assertThat(order.get("reason").asText()).isEqualTo("PAYMENT_TIMEOUT");
    awaitOutcomePublished(orderId, "OrderCancelled", "PAYMENT_TIMEOUT");
  }

  @Test
  void stockRejectedAfterPaymentCancelsAndRefundsOnce() throws Exception {
    String orderId = postOrder();
    String paymentId = "pay-" + orderId;
    payment(orderId, "payment.succeeded", paymentId);
    await()
        .atMost(WAIT)
        .until(() -> orderOf(orderId).at("/payment/status").asText().equals("SUCCEEDED"));
    inventory(orderId, "InventoryRejected", "OUT_OF_STOCK");

    JsonNode order = awaitStatus(orderId, "CANCELLED");
    assertThat(order.get("reason").asText()).isEqualTo("INVENTORY_REJECTED");
    await().atMost(WAIT).until(() -> outside.acceptedFor("refund-" + paymentId) == 1);
    FakeService.Call refund = outside.callsFor("refund-" + paymentId).get(0);
    assertThat(refund.path()).isEqualTo("/payments/refunds");
    assertThat(JSON.readTree(refund.body()).get("orderId").asText()).isEqualTo(orderId);
    assertThat(JSON.readTree(refund.body()).at("/amount/currency").asText()).isEqualTo("EUR");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> outside.callsFor("refund-" + paymentId).size() == 1);
  }

  @Test
  void aCallbackReplayedTenTimesHasOneEffect() throws Exception {
    String orderId = postOrder();
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
    String orderId = postOrder();
    inventory(orderId, "InventoryReserved", null);
    payment(orderId, "payment.succeeded", "pay-" + orderId);
    awaitStatus(orderId, "CONFIRMED");

    inventory(orderId, "InventoryRejected", "OUT_OF_STOCK");
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
    HubRunner first = new HubRunner(properties("1h"));
    String orderId;
    try {
      orderId = postOrder(first);
      await().atMost(WAIT).until(() -> statusOf(first, orderId).equals("PENDING"));
    } finally {
      first.close();
    }
    try (HubRunner restarted = new HubRunner(properties("1s"))) {
      inventory(orderId, "InventoryReserved", null);
      await().atMost(WAIT).until(() -> statusOf(restarted, orderId).equals("CANCELLED"));
      assertThat(Http.get(restarted.url("/api/orders/" + orderId)).body())
          .contains("PAYMENT_TIMEOUT");
    }
  }

  @Test
  void twoHubInstancesTimeOutEachOrderOnce() throws Exception {
    List<String> orders = new ArrayList<>();
    try (HubRunner second = new HubRunner(properties("2s"))) {
      for (int i = 0; i < 20; i++) {
        orders.add(postOrder(i % 2 == 0 ? hub : second));
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

  private static String postOrder() throws Exception {
    return postOrder(hub);
  }

  private static String postOrder(HubRunner target) throws Exception {
    String[] event = Events.orderCreated();
    assertThat(
            Http.post(target.url("/api/events"), "application/cloudevents+json", event[1])
                .statusCode())
        .isEqualTo(202);
    return JSON.readTree(event[1]).at("/data/orderId").asText();
  }

  /** What the inventory service publishes for an order. */
  private static void inventory(String orderId, String type, String reason) throws Exception {
    String data =
        "{\"orderId\":\""
            + orderId
            + "\",\"lines\":[{\"sku\":\"SKU-RED-MUG\",\"quantity\":2}]"
            + (reason == null ? "" : ",\"reason\":\"" + reason + "\"")
            + "}";
    KafkaProbe.send(
        "inventory.events",
        orderId,
        data,
        Map.of(
            "ce_id",
            "inv-" + UUID.randomUUID(),
            "ce_type",
            type,
            "ce_source",
            "/hub/inventory",
            "ce_specversion",
            "1.0"));
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
