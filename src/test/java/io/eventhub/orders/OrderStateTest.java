package io.eventhub.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.support.Fixtures;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The order saga's decisions without a database: an order's state in memory takes in its events in
 * any order and decides OrderConfirmed or OrderCancelled once, with a refund for a paid order it
 * cancels.
 */
class OrderStateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORDER = "order-7";
  private static final Instant DEADLINE = Instant.parse("2026-01-01T10:15:00Z");

  private final OrderState order = new OrderState(ORDER);

  @Test
  void anOrderNoEventWasAppliedToIsNew() {
    assertThat(order.status()).isEqualTo("NEW");
    assertThat(order.outcome()).isNull();
    assertThat(order.decide(JSON)).isNull();
  }

  @Test
  void orderCreatedMakesItPendingWithItsDataAndPaymentDeadline() {
    assertThat(apply("OrderCreated", created())).isNull();

    assertThat(order.decide(JSON)).isNull();
    assertThat(order.status()).isEqualTo("PENDING");
    assertThat(view("customerId")).isEqualTo("c-1");
    assertThat(view("lines").toString()).isEqualTo("[{\"sku\":\"A\",\"quantity\":1}]");
    assertThat(view("amount").toString()).isEqualTo("{\"value\":10,\"currency\":\"EUR\"}");
    assertThat(view("paymentDeadline")).isEqualTo(DEADLINE.toString());
    assertThat(order.outcome()).isNull();
  }

  @Test
  void reservedStockWithoutPaymentMakesItReservedAndUndecided() {
    apply("OrderCreated", created());

    assertThat(apply("InventoryReserved", reserved())).isNull();

    assertThat(order.decide(JSON)).isNull();
    assertThat(order.status()).isEqualTo("RESERVED");
    assertThat(view("inventory")).isEqualTo("RESERVED");
    assertThat(order.outcome()).isNull();
  }

  @Test
  void reservedThenPaidIsConfirmed() {
    apply("OrderCreated", created());
    apply("InventoryReserved", reserved());
    order.decide(JSON);

    assertThat(apply("PaymentSucceeded", payment())).isNull();
    OrderSaga.Outcome outcome = order.decide(JSON);

    assertConfirmed(outcome);
  }

  @Test
  void paidThenReservedIsConfirmed() {
    apply("OrderCreated", created());
    apply("PaymentSucceeded", payment());
    assertThat(order.decide(JSON)).isNull();
    assertThat(order.status()).isEqualTo("PENDING");

    apply("InventoryReserved", reserved());

    assertConfirmed(order.decide(JSON));
  }

  @Test
  void eventsBeforeTheOrderWaitForItThenDecide() {
    apply("PaymentSucceeded", payment());
    assertThat(order.decide(JSON)).isNull();
    apply("InventoryReserved", reserved());
    assertThat(order.decide(JSON)).isNull();
    assertThat(order.status()).isEqualTo("NEW");

    assertThat(apply("OrderCreated", created())).isNull();

    assertThat(view("paymentDeadline")).isEqualTo(DEADLINE.toString());
    assertConfirmed(order.decide(JSON));
  }

  @Test
  void rejectedStockCancelsAnUnpaidOrderWithoutARefund() {
    apply("OrderCreated", created());

    assertThat(apply("InventoryRejected", rejected("OUT_OF_STOCK"))).isNull();
    OrderSaga.Outcome outcome = order.decide(JSON);

    assertCancelled(outcome, "INVENTORY_REJECTED");
    assertThat(view("inventory")).isEqualTo("REJECTED");
    assertThat(view("inventoryReason")).isEqualTo("OUT_OF_STOCK");
    assertThat(order.refunds()).isEmpty();
    assertThat(outcome.data().has("refund")).isFalse();
  }

  @Test
  void rejectedStockCancelsAPaidOrderWithARefund() {
    apply("OrderCreated", created());
    apply("PaymentSucceeded", payment());
    order.decide(JSON);

    apply("InventoryRejected", rejected("UNKNOWN_SKU"));
    OrderSaga.Outcome outcome = order.decide(JSON);

    assertCancelled(outcome, "INVENTORY_REJECTED");
    assertThat(order.refunds())
        .extracting(OrderState.Refund::reason)
        .containsExactly("INVENTORY_REJECTED");
    assertThat(outcome.data().get("refund").asBoolean()).isTrue();
    assertThat(order.payment().get("paymentId").asText()).isEqualTo("p-order-7");
  }

  @Test
  void aFailedPaymentCancelsTheOrderWithoutARefund() {
    apply("OrderCreated", created());
    apply("InventoryReserved", reserved());
    order.decide(JSON);

    assertThat(apply("PaymentFailed", failedPayment())).isNull();
    OrderSaga.Outcome outcome = order.decide(JSON);

    assertCancelled(outcome, "PAYMENT_FAILED");
    assertThat(order.payment().get("status").asText()).isEqualTo("FAILED");
    assertThat(order.payment().get("failureReason").asText()).isEqualTo("card_declined");
    assertThat(order.refunds()).isEmpty();
  }

  @Test
  void aRejectionWinsOverAFailedPayment() {
    apply("OrderCreated", created());
    apply("PaymentFailed", failedPayment());
    apply("InventoryRejected", rejected("OUT_OF_STOCK"));

    assertCancelled(order.decide(JSON), "INVENTORY_REJECTED");
  }

  @Test
  void aPaymentThatSucceedsAfterAFailureBeforeTheOrderIsDecidedCounts() {
    apply("PaymentFailed", failedPayment());
    assertThat(apply("PaymentSucceeded", payment())).isNull();
    apply("InventoryReserved", reserved());
    apply("OrderCreated", created());

    assertConfirmed(order.decide(JSON));
    assertThat(order.payment().get("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void aSecondOrderCreatedChangesNothing() {
    apply("OrderCreated", created());

    assertThat(apply("OrderCreated", created().put("customerId", "c-2")))
        .isEqualTo("the order was already created");
    assertThat(view("customerId")).isEqualTo("c-1");
    assertThat(order.status()).isEqualTo("PENDING");
  }

  @Test
  void aSecondStockAnswerChangesNothing() {
    apply("OrderCreated", created());
    apply("InventoryReserved", reserved());
    order.decide(JSON);

    assertThat(apply("InventoryRejected", rejected("OUT_OF_STOCK")))
        .isEqualTo("stock was already RESERVED");
    assertThat(order.decide(JSON)).isNull();
    assertThat(view("inventory")).isEqualTo("RESERVED");
    assertThat(view("inventoryReason")).isNull();
    assertThat(order.status()).isEqualTo("RESERVED");
  }

  @Test
  void aPaymentAfterASucceededOneChangesNothing() {
    apply("OrderCreated", created());
    apply("PaymentSucceeded", payment());

    assertThat(apply("PaymentFailed", failedPayment())).isEqualTo("a payment already succeeded");
    assertThat(apply("PaymentSucceeded", payment())).isEqualTo("a payment already succeeded");
    assertThat(order.payment().get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(order.decide(JSON)).isNull();
    assertThat(order.status()).isEqualTo("PENDING");
  }

  @Test
  void aLateEventIsRecordedButDoesNotChangeADecidedOrder() {
    apply("OrderCreated", created());
    apply("PaymentFailed", failedPayment());
    OrderSaga.Outcome decided = order.decide(JSON);

    assertThat(apply("InventoryReserved", reserved())).isEqualTo("the order was already CANCELLED");

    assertThat(view("inventory")).as("recorded").isEqualTo("RESERVED");
    assertThat(order.decide(JSON)).isNull();
    assertThat(order.status()).isEqualTo("CANCELLED");
    assertThat(order.reason()).isEqualTo("PAYMENT_FAILED");
    assertThat(order.outcome()).isEqualTo(decided);
  }

  @Test
  void aConfirmedOrderStaysConfirmed() {
    apply("OrderCreated", created());
    apply("InventoryReserved", reserved());
    apply("PaymentSucceeded", payment());
    OrderSaga.Outcome decided = order.decide(JSON);

    assertThat(apply("InventoryRejected", rejected("OUT_OF_STOCK")))
        .isEqualTo("stock was already RESERVED");
    assertThat(apply("PaymentFailed", failedPayment())).isEqualTo("a payment already succeeded");
    assertThat(order.decide(JSON)).isNull();
    assertThat(order.timeOut(JSON)).isNull();
    assertThat(order.status()).isEqualTo("CONFIRMED");
    assertThat(order.outcome()).isEqualTo(decided);
  }

  @Test
  void aPaymentThatArrivesAfterTheOrderWasCancelledIsRefunded() {
    apply("OrderCreated", created());
    OrderSaga.Outcome decided = order.timeOut(JSON);

    assertThat(apply("PaymentSucceeded", payment())).isEqualTo("the order was already CANCELLED");

    assertThat(order.refunds())
        .extracting(OrderState.Refund::reason)
        .containsExactly("ORDER_CANCELLED");
    assertThat(order.payment().get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(order.decide(JSON)).isNull();
    assertThat(order.status()).isEqualTo("CANCELLED");
    assertThat(order.reason()).isEqualTo("PAYMENT_TIMEOUT");
    assertThat(order.outcome()).as("the published decision stays as it was").isEqualTo(decided);
  }

  @Test
  void aFailedPaymentAfterTheOrderWasCancelledIsNotRefunded() {
    apply("OrderCreated", created());
    apply("InventoryRejected", rejected("OUT_OF_STOCK"));
    order.decide(JSON);

    assertThat(apply("PaymentFailed", failedPayment()))
        .isEqualTo("the order was already CANCELLED");
    assertThat(order.refunds()).isEmpty();
  }

  @Test
  void otherEventTypesChangeNothing() {
    apply("OrderCreated", created());

    assertThat(apply("OrderConfirmed", JSON.createObjectNode().put("orderId", ORDER)))
        .isEqualTo("not an event of the order saga");
    assertThat(order.status()).isEqualTo("PENDING");
    assertThat(order.decide(JSON)).isNull();
  }

  @Test
  void anUnpaidPendingOrderTimesOutWithoutARefund() {
    apply("OrderCreated", created());

    OrderSaga.Outcome outcome = order.timeOut(JSON);

    assertCancelled(outcome, "PAYMENT_TIMEOUT");
    assertThat(order.refunds()).isEmpty();
    assertThat(outcome.data().has("refund")).isFalse();
  }

  @Test
  void anUnpaidReservedOrderTimesOut() {
    apply("OrderCreated", created());
    apply("InventoryReserved", reserved());
    order.decide(JSON);

    assertCancelled(order.timeOut(JSON), "PAYMENT_TIMEOUT");
  }

  @Test
  void anOrderNotCreatedYetIsNotTimedOut() {
    apply("PaymentFailed", failedPayment());

    assertThat(order.timeOut(JSON)).isNull();
    assertThat(order.status()).isEqualTo("NEW");
    assertThat(order.outcome()).isNull();
  }

  @Test
  void aPaidOrderWaitingForItsStockIsNotTimedOut() {
    apply("OrderCreated", created());
    apply("PaymentSucceeded", payment());
    order.decide(JSON);

    assertThat(order.timeOut(JSON)).isNull();

    assertThat(order.status()).isEqualTo("PENDING");
    assertThat(order.outcome()).isNull();
    assertThat(order.refunds()).isEmpty();
    apply("InventoryReserved", reserved());
    assertConfirmed(order.decide(JSON));
  }

  @Test
  void aDecidedOrderIsNotTimedOut() {
    apply("OrderCreated", created());
    apply("InventoryRejected", rejected("OUT_OF_STOCK"));
    OrderSaga.Outcome decided = order.decide(JSON);

    assertThat(order.timeOut(JSON)).isNull();
    assertThat(order.reason()).isEqualTo("INVENTORY_REJECTED");
    assertThat(order.outcome()).isEqualTo(decided);
  }

  @Test
  void theViewShowsTheStateAndWhetherTheOutcomeWasPublished() {
    apply("OrderCreated", created());
    apply("InventoryReserved", reserved());
    apply("PaymentSucceeded", payment());
    order.decide(JSON);

    var view = order.view(JSON);

    assertThat(view)
        .containsEntry("orderId", ORDER)
        .containsEntry("status", "CONFIRMED")
        .containsEntry("reason", null)
        .containsEntry("outcome", "OrderConfirmed")
        .containsEntry("outcomePublished", false);
    assertThat(order.published()).isFalse();
  }

  private String apply(String type, JsonNode data) {
    return order.record(type, data, DEADLINE);
  }

  private Object view(String field) {
    Object value = order.view(JSON).get(field);
    return value instanceof JsonNode node && node.isTextual() ? node.asText() : value;
  }

  private void assertConfirmed(OrderSaga.Outcome outcome) {
    assertThat(outcome).isNotNull();
    assertThat(outcome.id()).isEqualTo("order-saga-order-7-confirmed");
    assertThat(outcome.type()).isEqualTo("OrderConfirmed");
    assertThat(outcome.orderId()).isEqualTo(ORDER);
    assertThat(outcome.data().toString()).isEqualTo("{\"orderId\":\"order-7\"}");
    assertThat(order.status()).isEqualTo("CONFIRMED");
    assertThat(order.reason()).isNull();
    assertThat(order.refunds()).isEmpty();
    assertThat(order.outcome()).isEqualTo(outcome);
  }

  private void assertCancelled(OrderSaga.Outcome outcome, String reason) {
    assertThat(outcome).isNotNull();
    assertThat(outcome.id()).isEqualTo("order-saga-order-7-cancelled");
    assertThat(outcome.type()).isEqualTo("OrderCancelled");
    assertThat(outcome.orderId()).isEqualTo(ORDER);
    assertThat(outcome.data().get("orderId").asText()).isEqualTo(ORDER);
    assertThat(outcome.data().get("reason").asText()).isEqualTo(reason);
    assertThat(order.status()).isEqualTo("CANCELLED");
    assertThat(order.reason()).isEqualTo(reason);
    assertThat(order.outcome()).isEqualTo(outcome);
  }

  private static ObjectNode created() {
    return Fixtures.json("order-created", "orderId", ORDER);
  }

  private static ObjectNode reserved() {
    return Fixtures.json("inventory-reserved", "orderId", ORDER);
  }

  private static ObjectNode rejected(String reason) {
    return Fixtures.json("inventory-rejected", "orderId", ORDER, "reason", reason);
  }

  private static ObjectNode payment() {
    return Fixtures.json("payment-succeeded", "orderId", ORDER);
  }

  private static ObjectNode failedPayment() {
    return Fixtures.json("payment-failed", "orderId", ORDER);
  }
}
