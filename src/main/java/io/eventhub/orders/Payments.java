package io.eventhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventhub.json.Money;

/**
 * The order saga's money checks, plain decisions: a successful payment pays its order only when its
 * amount is the order's, numerically (42.5 is 42.50), in the same currency; a second successful
 * payment (another payment id) for an order already paid is refunded.
 */
final class Payments {

  /** The cancellation reason of an order paid with another amount or currency. */
  static final String MISMATCH = "PAYMENT_MISMATCH";

  /** The refund reason of a second successful payment for an order already paid. */
  static final String DUPLICATE = "DUPLICATE_PAYMENT";

  private Payments() {}

  /**
   * Refuses an event whose money is not money (a value with more decimals than its currency has, an
   * unknown currency, out of range): such a record goes to the dead letter topic.
   */
  static void checkMoney(String type, JsonNode data) {
    if (type.equals("OrderCreated") || type.equals("PaymentSucceeded")) {
      Money.read(data.get("amount"), "amount");
    }
  }

  /** Whether the payment (its {@code amount}) is exactly the order's amount. */
  static boolean pays(JsonNode orderAmount, JsonNode payment) {
    if (orderAmount == null || payment == null) {
      return false;
    }
    try {
      return Money.read(orderAmount, "amount").sameAs(Money.read(payment.get("amount"), "amount"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Why a successful payment that arrives after another succeeded is refunded: {@link #DUPLICATE}
   * for another payment, null for the same payment told again.
   */
  static String secondPayment(JsonNode earlier, JsonNode payment) {
    String earlierId = earlier.path("paymentId").asText();
    return earlierId.equals(payment.path("paymentId").asText()) ? null : DUPLICATE;
  }
}
