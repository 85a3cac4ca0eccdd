package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.support.OrderRecords;
import io.eventhub.support.RouteTestConfiguration;
import java.util.List;
import java.util.UUID;
import org.apache.camel.EndpointInject;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routes/order-saga.camel.yaml on records whose money is not money or that are not JSON, as a
 * producer that bypasses intake could write them: each goes to the dead letter topic at once, with
 * a reason that names the field, never the record's content.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = "order-saga=direct:saga-events",
    mockEndpointsAndSkip = "kafka:.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/order-saga.camel.yaml",
      "hub.orders.payment-timeout=1h"
    })
class OrderSagaMoneyRouteTest {

  @Produce("direct:saga-events")
  ProducerTemplate events;

  @EndpointInject("mock:kafka:events")
  MockEndpoint outcomes;

  @EndpointInject("mock:kafka:dead-letters")
  MockEndpoint deadLetters;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(outcomes.getCamelContext());
  }

  @Test
  void moneyThatIsNotMoneyAndBrokenJsonAreDeadLetteredWithANeutralReason() throws Exception {
    String orderId = "order-" + UUID.randomUUID();
    List<String[]> records =
        List.of(
            new String[] {"PaymentSucceeded", payment(orderId, "10.001", "EUR")},
            new String[] {"PaymentSucceeded", payment(orderId, "10", "ABC")},
            new String[] {"OrderCreated", order(orderId, "1e400", "EUR")},
            new String[] {"OrderCreated", order(orderId, "10", "EUR").replace("}}", "}, secret}")},
            new String[] {
              "PaymentSucceeded", payment(orderId, "10", "EUR").replace("{", "{\"orderId\":\"x\",")
            });
    outcomes.expectedMessageCount(0);
    deadLetters.expectedMessageCount(records.size());

    for (String[] record : records) {
      OrderRecords.consume(events, "evt-" + UUID.randomUUID(), record[0], record[1]);
    }

    deadLetters.assertIsSatisfied();
    outcomes.assertIsSatisfied();
    List<String> reasons =
        deadLetters.getExchanges().stream()
            .map(e -> e.getMessage().getHeader("hub_dlq_reason", String.class))
            .toList();
    assertThat(reasons.get(0)).contains("amount.value", "decimals");
    assertThat(reasons.get(1)).contains("amount.currency");
    assertThat(reasons.get(2)).contains("amount.value");
    assertThat(reasons.get(3)).startsWith("The record value is not valid JSON at line 1");
    assertThat(reasons.get(4)).startsWith("The record value has a duplicate key");
    assertThat(reasons).allSatisfy(r -> assertThat(r).doesNotContain("secret", orderId));
    assertThat(deadLetters.getExchanges())
        .allSatisfy(e -> assertThat(e.getMessage().getHeader("hub_dlq_attempts")).isEqualTo("1"));
  }

  private static String order(String orderId, String value, String currency) {
    return "{\"orderId\":\""
        + orderId
        + "\",\"customerId\":\"c-1\",\"lines\":[{\"sku\":\"A\",\"quantity\":1}],"
        + "\"amount\":{\"value\":"
        + value
        + ",\"currency\":\""
        + currency
        + "\"}}";
  }

  private static String payment(String orderId, String value, String currency) {
    return "{\"paymentId\":\"p-"
        + orderId
        + "\",\"orderId\":\""
        + orderId
        + "\",\"amount\":{\"value\":"
        + value
        + ",\"currency\":\""
        + currency
        + "\"}}";
  }
}
