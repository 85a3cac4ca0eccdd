package io.eventhub;

import static io.eventhub.support.OrderRecords.line;
import static io.eventhub.support.OrderRecords.orderCreated;
import static io.eventhub.support.OrderRecords.sku;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.inventory.StockRequests;
import io.eventhub.support.RouteTestConfiguration;
import io.eventhub.support.Stock;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/**
 * Each stock operation runs at its own isolation level (hub.inventory.isolation.reserve, .release,
 * .set-stock), as PostgreSQL reports it inside the transaction ({@code
 * current_setting('transaction_isolation')}): three different levels here, one per operation.
 * READ_UNCOMMITTED is accepted; PostgreSQL reports it as asked (and runs it as READ COMMITTED).
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/inventory-reserve-stock.camel.yaml,file:routes/inventory-take-stock.camel.yaml,file:routes/inventory-release-stock.camel.yaml,file:routes/inventory-api.camel.yaml",
      "hub.inventory.isolation=READ_COMMITTED",
      "hub.inventory.isolation.reserve=SERIALIZABLE",
      "hub.inventory.isolation.release=REPEATABLE_READ",
      "hub.inventory.isolation.set-stock=READ_UNCOMMITTED",
      "camel.server.port=0",
      // the management server follows hub.http.port: a free port, not 8080
      "hub.http.port=0"
    })
class InventoryIsolationRouteTest {

  @Produce("direct:reserve-stock")
  ProducerTemplate reserve;

  @Produce("direct:release-stock")
  ProducerTemplate release;

  @Produce("direct:put-stock-level")
  ProducerTemplate put;

  @Test
  void everyOperationRunsAtItsOwnLevel() throws Exception {
    String mug = sku("MUG");
    Exchange set =
        put.send(
            e -> {
              e.getMessage().setHeader("sku", mug);
              e.getMessage().setBody("{\"available\": 5}");
            });
    assertThat(set.getException()).isNull();
    assertThat(set.getProperty("transactionIsolation")).isEqualTo("read uncommitted");
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(5, 0));

    String orderId = "order-" + UUID.randomUUID();
    String eventId = "evt-" + UUID.randomUUID();
    StockRequests requests =
        reserve
            .getCamelContext()
            .getRegistry()
            .lookupByNameAndType("stockRequests", StockRequests.class);
    Exchange reserved =
        reserve.send(
            e -> {
              e.setProperty("eventSource", "/test");
              e.setProperty(
                  "stockRequest",
                  requests.fromOrderCreated(orderCreated(orderId, line(mug, 2)), eventId));
            });
    assertThat(reserved.getException()).isNull();
    assertThat(reserved.getProperty("transactionIsolation")).isEqualTo("serializable");
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(3, 2));

    Exchange released =
        release.send(
            e -> {
              e.setProperty("orderId", orderId);
              e.setProperty("eventId", "evt-" + UUID.randomUUID());
              e.setProperty("eventSource", "/test");
            });
    assertThat(released.getException()).isNull();
    assertThat(released.getProperty("transactionIsolation")).isEqualTo("repeatable read");
    assertThat(released.getProperty("stockReleased", String.class)).isEqualTo("true");
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(5, 0));
  }
}
