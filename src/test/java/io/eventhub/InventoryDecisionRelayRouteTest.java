package io.eventhub;

import static io.eventhub.support.OrderRecords.line;
import static io.eventhub.support.OrderRecords.orderCreated;
import static io.eventhub.support.OrderRecords.sku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventhub.support.OrderRecords;
import io.eventhub.support.RouteTestConfiguration;
import io.eventhub.support.Stock;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.EndpointInject;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * routes/inventory-decision-relay.camel.yaml: the inventory's decision is an outbox. The broker
 * refusing the decision leaves no dead letter and no stock held for nothing: the record is done,
 * and the relay publishes the same event (same id) once the broker takes it.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = "inventory-on-order-created=direct:orders-events",
    mockEndpointsAndSkip = "kafka:.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/inventory-reserve-stock.camel.yaml,file:routes/inventory-take-stock.camel.yaml,file:routes/inventory-on-order-created.camel.yaml,file:routes/inventory-decision-relay.camel.yaml",
      "hub.inventory.relay-period-ms=200",
      "hub.inventory.relay-after-ms=0",
      "hub.retry.max-redeliveries=2",
      "hub.retry.initial-delay-ms=5",
      "hub.retry.max-delay-ms=20",
      "camel.server.port=0"
    })
class InventoryDecisionRelayRouteTest {

  @Produce("direct:orders-events")
  ProducerTemplate orders;

  @EndpointInject("mock:kafka:events")
  MockEndpoint published;

  @EndpointInject("mock:kafka:dead-letters")
  MockEndpoint deadLetters;

  @Test
  void aDecisionTheBrokerRefusedIsPublishedByTheRelayNotDeadLettered() throws Exception {
    String mug = sku("MUG");
    Stock.set(mug, 5);
    String orderId = "order-" + UUID.randomUUID();
    // the broker refuses the first publish of this order's decision
    published.whenAnyExchangeReceived(
        e -> {
          if (orderId.equals(e.getMessage().getHeader("kafka.KEY"))
              && Stock.count(
                      "select count(*) from inventory_orders where order_id = ?"
                          + " and relay_lease_until is null",
                      orderId)
                  == 1) {
            throw new TimeoutException("Expiring 1 record(s) for inventory.events-0");
          }
        });

    OrderRecords.consume(
        orders, "evt-" + UUID.randomUUID(), "OrderCreated", orderCreated(orderId, line(mug, 2)));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Stock.count(
                        "select count(*) from inventory_orders where order_id = ?"
                            + " and result_published_at is not null",
                        orderId)
                    == 1);
    assertThat(
            published.getExchanges().stream()
                .filter(e -> orderId.equals(e.getMessage().getHeader("kafka.KEY")))
                .map(e -> e.getMessage().getHeader("ce_type"))
                .toList())
        .as("refused once, then published by the relay")
        .containsExactly("InventoryReserved", "InventoryReserved");
    assertThat(deadLetters.getReceivedCounter()).as("no dead letter").isZero();
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(3, 2));
  }
}
