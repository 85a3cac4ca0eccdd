package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventhub.support.FakeService;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payments checked against their order on the real engines: a payment of another amount or currency
 * cancels the order and is refunded, a second payment for a paid order is refunded once, and a
 * callback whose money is not money is refused.
 */
class PaymentChecksIT extends OrderStoryTestBase {

  /** The amount of the sample order (samples/order-created.json) as the callbacks carry it. */
  private static final String ORDER_AMOUNT = "\"amount\":{\"value\":42.5,\"currency\":\"EUR\"}";

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    outside = new FakeService();
    hub = new HubRunner(properties("1h"));
  }

  @Test
  void aPaymentOfAnotherAmountCancelsTheOrderAndIsRefunded() throws Exception {
    Skus skus = stocked(10);
    String orderId = postOrder(skus);
    awaitStatus(orderId, "RESERVED");
    String paymentId = "pay-" + orderId;

    HttpResponse<String> answer =
        paid(orderId, paymentId, "\"amount\":{\"value\":42.49,\"currency\":\"EUR\"}");

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode order = awaitStatus(orderId, "CANCELLED");
    assertThat(order.get("reason").asText()).isEqualTo("PAYMENT_MISMATCH");
    awaitOutcomePublished(orderId, "OrderCancelled", "PAYMENT_MISMATCH");
    awaitOneRefund(paymentId);
    JsonNode refund = JSON.readTree(outside.callsFor("refund-" + paymentId).get(0).body());
    assertThat(refund.get("reason").asText()).isEqualTo("PAYMENT_MISMATCH");
    assertThat(refund.at("/amount/value").decimalValue()).isEqualByComparingTo("42.49");
    await().atMost(WAIT).until(() -> stock(skus.first()).equals("10/0"));
  }

  @Test
  void aPaymentInAnotherCurrencyCancelsTheOrderAndIsRefunded() throws Exception {
    String orderId = postOrder(stocked(10));
    awaitStatus(orderId, "RESERVED");
    String paymentId = "pay-" + orderId;

    paid(orderId, paymentId, "\"amount\":{\"value\":42.50,\"currency\":\"USD\"}");

    assertThat(awaitStatus(orderId, "CANCELLED").get("reason").asText())
        .isEqualTo("PAYMENT_MISMATCH");
    awaitOneRefund(paymentId);
  }

  @Test
  void aSecondPaymentForAPaidOrderIsRefundedOnce() throws Exception {
    String orderId = postOrder(stocked(10));
    awaitStatus(orderId, "RESERVED");
    String first = "pay-" + orderId;
    String second = "pay-again-" + orderId;
    paid(orderId, first, "\"amount\":{\"value\":42.50,\"currency\":\"EUR\"}");
    awaitStatus(orderId, "CONFIRMED");

    paid(orderId, second, ORDER_AMOUNT);
    // the gateway tells the second payment again, as its own event: still one refund
    paid(orderId, second, ORDER_AMOUNT);

    awaitOneRefund(second);
    JsonNode refund = JSON.readTree(outside.callsFor("refund-" + second).get(0).body());
    assertThat(refund.get("reason").asText()).isEqualTo("DUPLICATE_PAYMENT");
    assertThat(outside.callsFor("refund-" + first)).as("the payment that paid is kept").isEmpty();
    JsonNode order = orderOf(orderId);
    assertThat(order.get("status").asText()).isEqualTo("CONFIRMED");
    assertThat(order.at("/payment/paymentId").asText()).isEqualTo(first);
  }

  @Test
  void aCallbackWhoseMoneyIsNotMoneyIsRefused() throws Exception {
    String orderId = "order-" + UUID.randomUUID();
    for (String amount :
        new String[] {
          "\"amount\":{\"value\":42.505,\"currency\":\"EUR\"}",
          "\"amount\":{\"value\":42,\"currency\":\"XYZ\"}",
          "\"amount\":{\"value\":1e400,\"currency\":\"EUR\"}",
          ORDER_AMOUNT.replace("{", "{\"value\":1,")
        }) {
      HttpResponse<String> answer = paid(orderId, "pay-" + orderId, amount);
      assertThat(answer.statusCode()).as(amount).isEqualTo(400);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    assertThat(statusOf(orderId)).as("nothing reached the saga").isEmpty();
  }

  private static HttpResponse<String> paid(String orderId, String paymentId, String amount) {
    return signedPost(
        callback(orderId, "payment.succeeded", paymentId).replace(ORDER_AMOUNT, amount));
  }

  private static void awaitOneRefund(String paymentId) {
    await().atMost(WAIT).until(() -> outside.acceptedFor("refund-" + paymentId) == 1);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> outside.callsFor("refund-" + paymentId).size() == 1);
  }
}
