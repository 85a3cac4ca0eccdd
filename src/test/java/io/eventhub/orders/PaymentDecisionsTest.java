package io.eventhub.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.delivery.MalformedEventException;
import io.eventhub.json.StrictJson;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The saga's money decisions, on the order's state alone (no engines). */
class PaymentDecisionsTest {

  private static final ObjectMapper JSON = StrictJson.mapper();

  @Test
  void theOrdersAmountInAnyNotationConfirms() throws Exception {
    OrderState order = reservedOrder("42.50", "EUR");
    order.record("PaymentSucceeded", payment("pay-1", "42.5", "EUR"), Instant.now());

    OrderSaga.Outcome outcome = order.decide(JSON);

    assertThat(outcome.type()).isEqualTo("OrderConfirmed");
    assertThat(order.refunds()).isEmpty();
  }

  @Test
  void anotherAmountCancelsAndRefunds() throws Exception {
    OrderState order = reservedOrder("42.50", "EUR");
    order.record("PaymentSucceeded", payment("pay-1", "0.01", "EUR"), Instant.now());

    OrderSaga.Outcome outcome = order.decide(JSON);

    assertThat(outcome.type()).isEqualTo("OrderCancelled");
    assertThat(outcome.data().get("reason").asText()).isEqualTo("PAYMENT_MISMATCH");
    assertThat(order.refunds())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.paymentId()).isEqualTo("pay-1");
              assertThat(r.reason()).isEqualTo("PAYMENT_MISMATCH");
              assertThat(r.amount().get("value").decimalValue()).isEqualByComparingTo("0.01");
            });
  }

  @Test
  void anotherCurrencyCancelsAndRefunds() throws Exception {
    OrderState order = reservedOrder("42.50", "EUR");
    order.record("PaymentSucceeded", payment("pay-1", "42.50", "USD"), Instant.now());

    assertThat(order.decide(JSON).data().get("reason").asText()).isEqualTo("PAYMENT_MISMATCH");
    assertThat(order.refunds()).extracting(OrderState.Refund::paymentId).containsExactly("pay-1");
  }

  @Test
  void aMismatchIsDecidedAsSoonAsTheOrderIsKnownEvenBeforeItsStock() throws Exception {
    OrderState order = OrderState.fresh("order-1");
    order.record("PaymentSucceeded", payment("pay-1", "40", "EUR"), Instant.now());
    assertThat(order.decide(JSON)).as("the order is not known yet").isNull();

    order.record("OrderCreated", created("42.50", "EUR"), Instant.now());

    assertThat(order.decide(JSON).data().get("reason").asText()).isEqualTo("PAYMENT_MISMATCH");
  }

  @Test
  void aSecondPaymentIsRefundedOnceAndTheOrderStaysConfirmed() throws Exception {
    OrderState order = reservedOrder("42.50", "EUR");
    order.record("PaymentSucceeded", payment("pay-1", "42.50", "EUR"), Instant.now());
    assertThat(order.decide(JSON).type()).isEqualTo("OrderConfirmed");

    String note = order.record("PaymentSucceeded", payment("pay-2", "42.50", "EUR"), Instant.now());

    assertThat(note).contains("refunded");
    assertThat(order.status()).isEqualTo("CONFIRMED");
    assertThat(order.refunds())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.paymentId()).isEqualTo("pay-2");
              assertThat(r.reason()).isEqualTo("DUPLICATE_PAYMENT");
            });
  }

  @Test
  void theSamePaymentToldTwiceIsNoSecondPayment() throws Exception {
    OrderState order = reservedOrder("42.50", "EUR");
    order.record("PaymentSucceeded", payment("pay-1", "42.50", "EUR"), Instant.now());
    order.decide(JSON);

    order.record("PaymentSucceeded", payment("pay-1", "42.50", "EUR"), Instant.now());

    assertThat(order.refunds()).isEmpty();
  }

  @Test
  void aFailedPaymentAfterASuccessChangesNothing() throws Exception {
    OrderState order = reservedOrder("42.50", "EUR");
    order.record("PaymentSucceeded", payment("pay-1", "42.50", "EUR"), Instant.now());
    order.decide(JSON);

    order.record("PaymentFailed", payment("pay-2", "42.50", "EUR"), Instant.now());

    assertThat(order.refunds()).isEmpty();
    assertThat(order.status()).isEqualTo("CONFIRMED");
  }

  @Test
  void moneyThatIsNotMoneyIsRefused() throws Exception {
    assertThatThrownBy(
            () -> Payments.checkMoney("PaymentSucceeded", payment("pay-1", "42.505", "EUR")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("decimals");
    assertThatThrownBy(() -> Payments.checkMoney("OrderCreated", created("1", "ZZZ")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("currency");
    assertThatThrownBy(() -> Payments.checkMoney("OrderCreated", created("1e400", "EUR")))
        .isInstanceOf(MalformedEventException.class);
  }

  private static OrderState reservedOrder(String value, String currency) throws Exception {
    OrderState order = OrderState.fresh("order-1");
    order.record("OrderCreated", created(value, currency), Instant.now());
    order.record("InventoryReserved", JSON.readTree("{\"orderId\":\"order-1\"}"), Instant.now());
    assertThat(order.decide(JSON)).isNull();
    return order;
  }

  private static JsonNode created(String value, String currency) throws Exception {
    return JSON.readTree(
        "{\"orderId\":\"order-1\",\"customerId\":\"c-1\",\"lines\":[{\"sku\":\"MUG\",\"quantity\":1}],"
            + "\"amount\":{\"value\":"
            + value
            + ",\"currency\":\""
            + currency
            + "\"}}");
  }

  private static JsonNode payment(String paymentId, String value, String currency)
      throws Exception {
    return JSON.readTree(
        "{\"paymentId\":\""
            + paymentId
            + "\",\"orderId\":\"order-1\",\"amount\":{\"value\":"
            + value
            + ",\"currency\":\""
            + currency
            + "\"}}");
  }
}
