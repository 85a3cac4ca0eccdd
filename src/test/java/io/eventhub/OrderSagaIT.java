package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The order story on the real engines: orders posted to intake, stock reserved by the inventory
 * routes, signed payment callbacks over HTTP, the saga's decision, and stock released when an order
 * is cancelled.
 */
class OrderSagaIT extends OrderStoryTestBase {

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    outside = new FakeService();
    // a payment timeout no test reaches: timeouts are OrderTimeoutsIT's
    hub = new HubRunner(properties("1h"));
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
  void aClientEventWithTheSagasOutcomeIdDoesNotStopTheStockRelease() throws Exception {
    Skus skus = stocked(10);
    String[] event = Events.orderCreated(skus.first(), skus.second());
    String orderId = JSON.readTree(event[1]).at("/data/orderId").asText();
    // before the order, a client posts another order under the id the saga gives this order's
    // cancellation: inventory and the saga handle it, under the client's source
    String[] decoy = Events.orderCreated(skus.first(), skus.second());
    String decoyOrder = JSON.readTree(decoy[1]).at("/data/orderId").asText();
    String outcomeId = "order-saga-" + orderId + "-cancelled";
    assertThat(
            Http.post(
                    hub.url("/api/events"),
                    "application/cloudevents+json",
                    decoy[1].replace(decoy[0], outcomeId))
                .statusCode())
        .isEqualTo(202);
    awaitStatus(decoyOrder, "RESERVED");
    assertThat(
            Http.post(hub.url("/api/events"), "application/cloudevents+json", event[1])
                .statusCode())
        .isEqualTo(202);
    awaitStatus(orderId, "RESERVED");
    assertThat(stock(skus.first())).isEqualTo("6/4");
    assertThat(stock(skus.second())).isEqualTo("8/2");

    payment(orderId, "payment.failed", "pay-" + orderId);

    awaitStatus(orderId, "CANCELLED");
    awaitOutcomePublished(orderId, "OrderCancelled", "PAYMENT_FAILED");
    assertThat(
            KafkaProbe.readAll("orders.events").stream()
                .filter(r -> outcomeId.equals(KafkaProbe.header(r, "ce_id")))
                .map(r -> KafkaProbe.header(r, "ce_source")))
        .containsExactlyInAnyOrder("/shop/checkout", "/hub/order-saga");
    // the hub's OrderCancelled is its own event: this order's stock goes back, the decoy's stays
    await().atMost(WAIT).until(() -> stock(skus.first()).equals("8/2"));
    assertThat(stock(skus.second())).isEqualTo("9/1");
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
    assertThat(refund.idempotencyKey()).isEqualTo("/hub/refunds refund-" + paymentId);
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
}
