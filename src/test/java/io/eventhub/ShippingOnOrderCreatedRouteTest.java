package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.CapturedLogs;
import io.eventhub.support.Fixtures;
import io.eventhub.support.OrderRecords;
import io.eventhub.support.RouteTestConfiguration;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.EndpointInject;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routes/shipping-on-order-created.camel.yaml with the delivery conventions: the Kafka consumer
 * replaced by a direct endpoint, shipping and the dead letter topic mocked.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = "shipping-on-order-created=direct:orders-events",
    mockEndpointsAndSkip = "(http|kafka):.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/outside-services.camel.yaml,file:routes/consumer-templates.camel.yaml,file:routes/shipping-on-order-created.camel.yaml",
      "hub.services.shipping.url=http://shipping.test/shipments",
      "hub.retry.max-redeliveries=2",
      "hub.retry.initial-delay-ms=5",
      "hub.retry.max-delay-ms=20"
    })
class ShippingOnOrderCreatedRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATA = Fixtures.text("order-created", "orderId", "order-1");

  @Produce("direct:orders-events")
  ProducerTemplate orders;

  @EndpointInject("mock:http:shipping.test/shipments")
  MockEndpoint shipping;

  @EndpointInject("mock:kafka:dead-letters")
  MockEndpoint deadLetters;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(shipping.getCamelContext());
  }

  @Test
  void postsTheStructuredCloudEventWithAnIdempotencyKey() throws Exception {
    String id = newId();
    shipping.expectedMessageCount(1);
    deadLetters.expectedMessageCount(0);

    consume(id, "OrderCreated");

    shipping.assertIsSatisfied();
    deadLetters.assertIsSatisfied();
    var request = shipping.getExchanges().get(0).getMessage();
    assertThat(request.getHeader("Idempotency-Key"))
        .as("the event's (source, id)")
        .isEqualTo("/test " + id);
    assertThat(request.getHeader("Content-Type")).isEqualTo("application/cloudevents+json");
    // camel-http's enum itself, which it takes as it is (a text would be converted on every call)
    assertThat(request.getHeader("CamelHttpMethod")).isEqualTo(HttpMethods.POST);
    assertThat(request.getHeaders().keySet())
        .noneMatch(h -> h.startsWith("ce_") || h.startsWith("kafka."));
    JsonNode event = JSON.readTree(request.getBody(String.class));
    assertThat(event.get("id").asText()).isEqualTo(id);
    assertThat(event.get("type").asText()).isEqualTo("OrderCreated");
    assertThat(event.get("data").get("orderId").asText()).isEqualTo("order-1");
  }

  @Test
  void otherOrderEventsAreNotForShipping() throws Exception {
    shipping.expectedMessageCount(0);

    consume(newId(), "OrderConfirmed");

    shipping.assertIsSatisfied();
  }

  @Test
  void aRecordWithoutATypeIsDeadLetteredWithTheReason() throws Exception {
    String id = newId();
    shipping.expectedMessageCount(0);
    deadLetters.expectedMessageCount(1);

    orders.sendBodyAndHeaders(
        DATA, Map.of("ce_id", id, "ce_source", "/test", KafkaConstants.TOPIC, "orders.events"));

    shipping.assertIsSatisfied();
    deadLetters.assertIsSatisfied();
    var dead = deadLetters.getExchanges().get(0).getMessage();
    assertThat(dead.getHeader("hub_dlq_reason", String.class))
        .isEqualTo("the record has no ce_type header");
    assertThat(dead.getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class))
        .isEqualTo("orders.events.shipping.dlq");
    assertThat(dead.getHeader("hub_dlq_attempts", String.class)).isEqualTo("1");
  }

  @Test
  void aTypeTheTopicDoesNotCarryIsDeadLetteredWithTheReason() throws Exception {
    shipping.expectedMessageCount(0);
    deadLetters.expectedMessageCount(2);

    consume(newId(), "OrderShipped");
    // a type of the catalog, but of another topic
    consume(newId(), "UserProfileUpdated");

    shipping.assertIsSatisfied();
    deadLetters.assertIsSatisfied();
    for (var dead : deadLetters.getExchanges()) {
      assertThat(dead.getMessage().getHeader("hub_dlq_reason", String.class))
          .isEqualTo(
              "the record's ce_type is not an event type of orders.events"
                  + " (its types: OrderCancelled, OrderConfirmed, OrderCreated)");
    }
  }

  @Test
  void aValueThatIsNotJsonIsDeadLetteredWithoutQuotingIt() throws Exception {
    String secret = "card=4111111111111111";
    shipping.expectedMessageCount(0);
    deadLetters.expectedMessageCount(2);

    try (CapturedLogs logs = new CapturedLogs()) {
      OrderRecords.consume(orders, newId(), "OrderCreated", secret);
      OrderRecords.consume(orders, newId(), "OrderCreated", "{\"orderId\":\n\"" + secret);

      shipping.assertIsSatisfied();
      deadLetters.assertIsSatisfied();
      assertThat(logs.containing("4111")).isEmpty();
    }
    assertThat(deadLetters.getExchanges())
        .extracting(e -> e.getMessage().getHeader("hub_dlq_reason", String.class))
        .containsExactly(
            "The record value is not valid JSON at line 1, column 5",
            "The record value is not valid JSON at line 2, column 23");
    assertThat(deadLetters.getExchanges().get(0).getMessage().getBody(String.class))
        .as("the original record value, for a replay after a fix")
        .isEqualTo(secret);
  }

  @Test
  void twoEventsWithTheSameIdFromTwoSourcesAreBothSent() throws Exception {
    String id = newId();
    shipping.expectedMessageCount(2);

    consumeFrom("/shop/eu", id);
    consumeFrom("/shop/us", id);
    consumeFrom("/shop/us", id);

    shipping.assertIsSatisfied();
    assertThat(shipping.getExchanges())
        .extracting(e -> e.getMessage().getHeader("Idempotency-Key", String.class))
        .containsExactly("/shop/eu " + id, "/shop/us " + id);
  }

  @Test
  void aRedeliveredEventIsSentOnce() throws Exception {
    String id = newId();
    shipping.expectedMessageCount(1);

    consume(id, "OrderCreated");
    consume(id, "OrderCreated");

    shipping.assertIsSatisfied();
  }

  @Test
  void serverErrorsAreRetriedThenDeadLetteredWithTheReasonAndOriginalRecord() throws Exception {
    String id = newId();
    shipping.whenAnyExchangeReceived(
        exchange -> {
          throw new HttpOperationFailedException(
              "http://shipping.test/shipments", 503, "Service Unavailable", null, Map.of(), "");
        });
    shipping.expectedMessageCount(3);
    deadLetters.expectedMessageCount(1);

    consume(id, "OrderCreated");

    shipping.assertIsSatisfied();
    deadLetters.assertIsSatisfied();
    var dead = deadLetters.getExchanges().get(0).getMessage();
    assertThat(dead.getHeader("hub_dlq_reason", String.class)).contains("503");
    assertThat(dead.getHeader("hub_dlq_attempts", String.class)).isEqualTo("3");
    assertThat(dead.getHeader("hub_dlq_service", String.class)).isEqualTo("shipping");
    assertThat(dead.getHeader("hub_dlq_origin_topic", String.class)).isEqualTo("orders.events");
    assertThat(dead.getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class))
        .isEqualTo("orders.events.shipping.dlq");
    assertThat(dead.getHeader("ce_id", String.class)).isEqualTo(id);
    assertThat(dead.getBody(String.class)).as("the original record value").isEqualTo(DATA);

    // not marked as handled: once shipping is back, a replay is delivered
    shipping.reset();
    shipping.expectedMessageCount(1);
    consume(id, "OrderCreated");
    shipping.assertIsSatisfied();
  }

  @Test
  void clientErrorsGoToTheDeadLetterTopicAtOnce() throws Exception {
    shipping.whenAnyExchangeReceived(
        exchange -> {
          throw new HttpOperationFailedException(
              "http://shipping.test/shipments", 422, "Unprocessable", null, Map.of(), "");
        });
    shipping.expectedMessageCount(1);
    deadLetters.expectedMessageCount(1);

    consume(newId(), "OrderCreated");

    shipping.assertIsSatisfied();
    deadLetters.assertIsSatisfied();
    assertThat(
            deadLetters
                .getExchanges()
                .get(0)
                .getMessage()
                .getHeader("hub_dlq_attempts", String.class))
        .isEqualTo("1");
  }

  private void consume(String id, String type) {
    OrderRecords.consume(orders, id, type, DATA);
  }

  private void consumeFrom(String source, String id) {
    orders.sendBodyAndHeaders(
        DATA,
        Map.of(
            "ce_id",
            id,
            "ce_source",
            source,
            "ce_type",
            "OrderCreated",
            KafkaConstants.TOPIC,
            "orders.events"));
  }

  private static String newId() {
    return "evt-" + UUID.randomUUID();
  }
}
