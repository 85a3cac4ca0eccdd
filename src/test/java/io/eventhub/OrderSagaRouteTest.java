package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.Fixtures;
import io.eventhub.support.OrderRecords;
import io.eventhub.support.RouteTestConfiguration;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routes/order-saga.camel.yaml and routes/orders-api.camel.yaml: the saga's consumer replaced by a
 * direct endpoint, Kafka mocked; its state in the real PostgreSQL.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = "order-saga=direct:saga-events",
    mockEndpointsAndSkip = "kafka:.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/order-saga.camel.yaml,file:routes/orders-api.camel.yaml",
      "hub.orders.payment-timeout=3s",
      "hub.orders.timeout-check-ms=200"
    })
class OrderSagaRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:saga-events")
  ProducerTemplate events;

  @Produce("direct:get-order")
  ProducerTemplate orders;

  @EndpointInject("mock:kafka:events")
  MockEndpoint kafka;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(kafka.getCamelContext());
  }

  @Test
  void anOrderReservedAndPaidIsConfirmedOnceWhateverTheOrderOfEvents() throws Exception {
    String orderId = "order-" + UUID.randomUUID();
    kafka.expectedMessageCount(1);

    String paid = consume("PaymentSucceeded", payment(orderId));
    consume("InventoryReserved", inventory(orderId));
    consume("OrderCreated", order(orderId));
    consume(paid, "PaymentSucceeded", payment(orderId));

    kafka.assertIsSatisfied();
    var outcome = kafka.getExchanges().get(0).getMessage();
    assertThat(outcome.getHeader("ce_type")).isEqualTo("OrderConfirmed");
    assertThat(outcome.getHeader(KafkaConstants.KEY)).isEqualTo(orderId);
    assertThat(outcome.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("orders.events");
    JsonNode view = view(orderId);
    assertThat(view.get("status").asText()).isEqualTo("CONFIRMED");
    assertThat(view.get("timeline")).hasSize(3);
    assertThat(view.get("outcomePublished").asBoolean()).isTrue();
  }

  @Test
  void aRejectionCancelsTheOrder() throws Exception {
    String orderId = "order-" + UUID.randomUUID();
    kafka.expectedMessageCount(1);

    consume("OrderCreated", order(orderId));
    consume(
        "InventoryRejected",
        Fixtures.text("inventory-rejected", "orderId", orderId, "reason", "UNKNOWN_SKU"));

    kafka.assertIsSatisfied();
    assertThat(kafka.getExchanges().get(0).getMessage().getHeader("ce_type"))
        .isEqualTo("OrderCancelled");
    assertThat(kafka.getExchanges().get(0).getMessage().getBody(String.class))
        .contains("INVENTORY_REJECTED");
  }

  @Test
  void anUnpaidOrderTimesOut() throws Exception {
    String orderId = "order-" + UUID.randomUUID();
    kafka.expectedMessageCount(1);

    consume("OrderCreated", order(orderId));

    kafka.assertIsSatisfied();
    assertThat(kafka.getExchanges().get(0).getMessage().getBody(String.class))
        .contains("PAYMENT_TIMEOUT");
    assertThat(view(orderId).get("reason").asText()).isEqualTo("PAYMENT_TIMEOUT");
  }

  @Test
  void aPaidOrderWaitingForItsStockIsNotTimedOut() throws Exception {
    String orderId = "order-" + UUID.randomUUID();
    kafka.expectedMessageCount(0);

    consume("OrderCreated", order(orderId));
    consume("PaymentSucceeded", payment(orderId));

    // past the 3 s payment timeout, the paid order is still waiting for its stock decision
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(10))
        .until(() -> view(orderId).get("status").asText().equals("PENDING"));
    kafka.assertIsSatisfied();
    kafka.reset();
    kafka.expectedMessageCount(1);
    consume("InventoryReserved", inventory(orderId));
    kafka.assertIsSatisfied();
    assertThat(view(orderId).get("status").asText()).isEqualTo("CONFIRMED");
  }

  @Test
  void otherEventsOnTheTopicsAreIgnored() throws Exception {
    String orderId = "order-" + UUID.randomUUID();
    kafka.expectedMessageCount(0);

    consume("OrderConfirmed", Fixtures.text("order-confirmed", "orderId", orderId));

    kafka.assertIsSatisfied();
    Exchange answer = orders.send(e -> e.getMessage().setHeader("id", orderId));
    assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(404);
  }

  private String consume(String type, String data) {
    return consume("evt-" + UUID.randomUUID(), type, data);
  }

  private String consume(String id, String type, String data) {
    OrderRecords.consume(events, id, type, data);
    return id;
  }

  private JsonNode view(String orderId) throws Exception {
    return JSON.readTree(
        orders.requestBodyAndHeader("direct:get-order", "", "id", orderId, String.class));
  }

  private static String order(String orderId) {
    return Fixtures.text("order-created", "orderId", orderId);
  }

  private static String inventory(String orderId) {
    return Fixtures.text("inventory-reserved", "orderId", orderId);
  }

  private static String payment(String orderId) {
    return Fixtures.text("payment-succeeded", "orderId", orderId);
  }
}
