package io.eventhub;

import static io.eventhub.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.Fixtures;
import io.eventhub.support.InboxAtAnswer;
import io.eventhub.support.RouteTestConfiguration;
import io.eventhub.support.Signatures;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.AdviceRouteMapping;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** routes/payment-callback.camel.yaml with Kafka mocked. */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    mockEndpointsAndSkip = "kafka:.*",
    advices =
        @AdviceRouteMapping(
            route = "payment-callback",
            advice = InboxAtAnswer.PaymentCallback.class),
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/payment-callback.camel.yaml",
      "hub.callbacks.payments.secret=whsec_b2xkLXNlY3JldA==," + PaymentCallbackRouteTest.SECRET
    })
class PaymentCallbackRouteTest {

  static final String SECRET = "whsec_cm91dGUtdGVzdC1zZWNyZXQ=";

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:payment-callback")
  ProducerTemplate callbacks;

  @EndpointInject("mock:kafka:events")
  MockEndpoint kafka;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(kafka.getCamelContext());
  }

  @Test
  void aStripeSignedSuccessBecomesPaymentSucceededKeyedByOrder() throws Exception {
    String body = callback("payment.succeeded", "order-" + UUID.randomUUID());
    kafka.expectedMessageCount(1);

    Exchange answer = post(body, stripeHeaders(body));

    kafka.assertIsSatisfied();
    assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isIn(null, 200);
    var event = kafka.getExchanges().get(0).getMessage();
    assertThat(event.getHeader("ce_type")).isEqualTo("PaymentSucceeded");
    assertThat(event.getHeader("ce_id", String.class)).startsWith("payment-gateway-");
    assertThat(event.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("payments.events");
    String orderId = JSON.readTree(body).at("/data/orderId").asText();
    assertThat(event.getHeader(KafkaConstants.KEY)).isEqualTo(orderId);
    assertThat(JSON.readTree(event.getBody(String.class)).get("paymentId").asText())
        .isEqualTo("pay-1");
  }

  @Test
  void aStandardWebhooksSignedFailureBecomesPaymentFailed() throws Exception {
    String body = callback("payment.failed", "order-" + UUID.randomUUID());
    kafka.expectedMessageCount(1);

    post(body, standardHeaders(body));

    kafka.assertIsSatisfied();
    assertThat(kafka.getExchanges().get(0).getMessage().getHeader("ce_type"))
        .isEqualTo("PaymentFailed");
  }

  @Test
  void aCallbackReplayedTenTimesIsPublishedOnce() throws Exception {
    String body = callback("payment.succeeded", "order-" + UUID.randomUUID());
    kafka.expectedMessageCount(1);

    for (int i = 0; i < 10; i++) {
      Exchange answer = post(body, stripeHeaders(body));
      assertThat(answer.getException()).isNull();
      assertThat(answer.getMessage().getBody(String.class)).contains("received");
    }

    kafka.assertIsSatisfied();
  }

  @Test
  void aCallbackIsRememberedBeforeItsAnswerIsMade() throws Exception {
    String body = callback("payment.succeeded", "order-" + UUID.randomUUID());

    Exchange answer = post(body, stripeHeaders(body));

    assertThat(answer.getException()).isNull();
    // not once the exchange is done: over HTTP that is on the server's event loop, after the answer
    assertThat(InboxAtAnswer.heldAtAnswer(answer.getProperty("eventKey", String.class)))
        .as("the inbox held the callback when its 200 was made")
        .contains(true);
  }

  @Test
  void unverifiedCallbacksAreRefusedAndPublishNothing() throws Exception {
    String body = callback("payment.succeeded", "order-" + UUID.randomUUID());
    kafka.expectedMessageCount(0);

    Map<String, Object> tampered = stripeHeaders(body);
    assertProblem(post(body.replace("42.5", "0.01"), tampered), 401);
    assertProblem(post(body, Map.of()), 401);
    assertProblem(post(body, Map.of("Stripe-Signature", "garbage")), 400);
    Map<String, Object> wrongSecret = new HashMap<>();
    wrongSecret.put("Stripe-Signature", Signatures.stripe("whsec_not_ours", now(), body));
    assertProblem(post(body, wrongSecret), 401);

    kafka.assertIsSatisfied();
  }

  @Test
  void aVerifiedButInvalidBodyIsABadRequest() throws Exception {
    String body = "{\"id\":\"gw-1\",\"type\":\"payment.refunded\",\"data\":{}}";
    kafka.expectedMessageCount(0);

    assertProblem(post(body, stripeHeaders(body)), 400);
    String noOrder =
        "{\"id\":\"gw-2\",\"type\":\"payment.succeeded\",\"data\":{\"paymentId\":\"p\"}}";
    assertProblem(post(noOrder, stripeHeaders(noOrder)), 400);

    kafka.assertIsSatisfied();
  }

  static String callback(String type, String orderId) {
    return Fixtures.callback(type, "gw-evt-" + UUID.randomUUID(), "pay-1", orderId);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static Map<String, Object> stripeHeaders(String body) {
    Map<String, Object> headers = new HashMap<>();
    headers.put("Stripe-Signature", Signatures.stripe(SECRET, now(), body));
    return headers;
  }

  private static Map<String, Object> standardHeaders(String body) {
    long t = now();
    return Map.of(
        "webhook-id", "msg_1",
        "webhook-timestamp", String.valueOf(t),
        "webhook-signature", Signatures.standardWebhooks(SECRET, "msg_1", t, body));
  }

  private Exchange post(String body, Map<String, Object> headers) {
    return callbacks.send(
        exchange -> {
          exchange.getMessage().setHeaders(new HashMap<>(headers));
          exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/callbacks/payments");
          exchange.getMessage().setBody(body);
        });
  }
}
