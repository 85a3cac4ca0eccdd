package io.eventhub;

import static io.eventhub.support.OrderRecords.consume;
import static io.eventhub.support.OrderRecords.line;
import static io.eventhub.support.OrderRecords.orderCancelled;
import static io.eventhub.support.OrderRecords.orderCreated;
import static io.eventhub.support.OrderRecords.sku;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.RouteTestConfiguration;
import io.eventhub.support.Stock;
import java.util.UUID;
import org.apache.camel.EndpointInject;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routes/inventory-on-order-cancelled.camel.yaml (with the reservation route it undoes) on the real
 * PostgreSQL at SERIALIZABLE with pessimistic locking; Kafka replaced by direct endpoints and
 * mocks.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = {
      "inventory-on-order-created=direct:order-created",
      "inventory-on-order-cancelled=direct:order-cancelled"
    },
    mockEndpointsAndSkip = "kafka:.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/inventory-reserve-stock.camel.yaml,file:routes/inventory-take-stock.camel.yaml,file:routes/inventory-release-stock.camel.yaml,file:routes/inventory-on-order-created.camel.yaml,file:routes/inventory-on-order-cancelled.camel.yaml",
      "hub.inventory.isolation=SERIALIZABLE",
      "hub.inventory.locking=pessimistic",
      "hub.retry.max-redeliveries=2",
      "hub.retry.initial-delay-ms=5",
      "hub.retry.max-delay-ms=20",
      "camel.server.port=0"
    })
class InventoryOnOrderCancelledRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:order-created")
  ProducerTemplate created;

  @Produce("direct:order-cancelled")
  ProducerTemplate cancelled;

  @EndpointInject("mock:kafka:events")
  MockEndpoint published;

  @EndpointInject("mock:kafka:dead-letters")
  MockEndpoint deadLetters;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(published.getCamelContext());
  }

  @Test
  void releasesTheReservationOnceWhateverTheRedeliveries() {
    String mug = sku("MUG");
    String cap = sku("CAP");
    Stock.set(mug, 5);
    Stock.set(cap, 2);
    String orderId = "order-" + UUID.randomUUID();
    consume(
        created,
        "evt-" + UUID.randomUUID(),
        "OrderCreated",
        orderCreated(orderId, line(mug, 2), line(cap, 2)));
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(3, 2));

    String cancelId = "evt-" + UUID.randomUUID();
    consume(cancelled, cancelId, "OrderCancelled", orderCancelled(orderId));
    consume(cancelled, cancelId, "OrderCancelled", orderCancelled(orderId));
    // another cancellation of the same order (a second event): the order holds nothing any more
    consume(cancelled, "evt-" + UUID.randomUUID(), "OrderCancelled", orderCancelled(orderId));

    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(5, 0));
    assertThat(Stock.level(cap)).isEqualTo(new Stock.Level(2, 0));
    assertThat(Stock.held(orderId)).isEmpty();
    assertThat(Stock.status(orderId)).isEqualTo("RELEASED");
  }

  @Test
  void anOrderCancelledBeforeItArrivedIsRejectedAndHoldsNothing() throws Exception {
    String mug = sku("MUG");
    Stock.set(mug, 5);
    String orderId = "order-" + UUID.randomUUID();
    published.expectedMessageCount(1);

    consume(cancelled, "evt-" + UUID.randomUUID(), "OrderCancelled", orderCancelled(orderId));
    assertThat(Stock.status(orderId)).isEqualTo("CANCELLED");
    consume(
        created, "evt-" + UUID.randomUUID(), "OrderCreated", orderCreated(orderId, line(mug, 1)));

    published.assertIsSatisfied();
    var event = published.getExchanges().get(0).getMessage();
    assertThat(event.getHeader("ce_type")).isEqualTo("InventoryRejected");
    assertThat(JSON.readTree(event.getBody(String.class)).get("reason").asText())
        .isEqualTo("ORDER_CANCELLED");
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(5, 0));
    assertThat(Stock.status(orderId)).isEqualTo("REJECTED");
  }

  @Test
  void cancellingARejectedOrderChangesNothing() {
    String mug = sku("MUG");
    Stock.set(mug, 1);
    String orderId = "order-" + UUID.randomUUID();
    consume(
        created, "evt-" + UUID.randomUUID(), "OrderCreated", orderCreated(orderId, line(mug, 3)));

    consume(cancelled, "evt-" + UUID.randomUUID(), "OrderCancelled", orderCancelled(orderId));

    assertThat(Stock.status(orderId)).isEqualTo("REJECTED");
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(1, 0));
  }

  @Test
  void aCancellationWithoutOrderIdGoesToTheDeadLetterTopic() throws Exception {
    deadLetters.expectedMessageCount(1);

    consume(cancelled, "evt-" + UUID.randomUUID(), "OrderCancelled", "{\"reason\":\"x\"}");

    deadLetters.assertIsSatisfied();
    assertThat(
            deadLetters.getExchanges().get(0).getMessage().getHeader(KafkaConstants.OVERRIDE_TOPIC))
        .isEqualTo("orders.events.inventory.dlq");
  }
}
