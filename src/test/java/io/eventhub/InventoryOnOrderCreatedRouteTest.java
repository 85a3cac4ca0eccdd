package io.eventhub;

import static io.eventhub.support.OrderRecords.line;
import static io.eventhub.support.OrderRecords.orderCreated;
import static io.eventhub.support.OrderRecords.sku;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.Fixtures;
import io.eventhub.support.OrderRecords;
import io.eventhub.support.RouteTestConfiguration;
import io.eventhub.support.Stock;
import io.eventhub.support.TestEngines;
import io.eventhub.transactions.TransactionConflictsExhausted;
import io.eventhub.transactions.TransactionReruns;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
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
 * routes/inventory-on-order-created.camel.yaml with routes/inventory-reserve-stock.camel.yaml on
 * the real PostgreSQL (REPEATABLE READ, atomic updates): the Kafka consumer replaced by a direct
 * endpoint, the published events and dead letters mocked.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = "inventory-on-order-created=direct:orders-events",
    mockEndpointsAndSkip = "kafka:.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/inventory-reserve-stock.camel.yaml,file:routes/inventory-take-stock.camel.yaml,file:routes/inventory-on-order-created.camel.yaml",
      "hub.inventory.isolation=REPEATABLE_READ",
      "hub.inventory.locking=atomic",
      "hub.inventory.lock-timeout-ms=150",
      "hub.inventory.retry.max-attempts=3",
      "hub.retry.max-redeliveries=2",
      "hub.retry.initial-delay-ms=5",
      "hub.retry.max-delay-ms=20",
      "camel.server.port=0"
    })
class InventoryOnOrderCreatedRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:orders-events")
  ProducerTemplate orders;

  @Produce("direct:reserve-stock")
  ProducerTemplate reserveStock;

  @EndpointInject("mock:kafka:events")
  MockEndpoint published;

  @EndpointInject("mock:kafka:dead-letters")
  MockEndpoint deadLetters;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(published.getCamelContext());
  }

  @Test
  void reservesEveryLineInOneTransactionAndPublishesInventoryReserved() throws Exception {
    String mug = sku("MUG");
    String cap = sku("CAP");
    Stock.set(mug, 5);
    Stock.set(cap, 1);
    String orderId = "order-" + UUID.randomUUID();
    String eventId = "evt-" + UUID.randomUUID();
    published.expectedMessageCount(1);

    consume(eventId, orderCreated(orderId, line(mug, 2), line(cap, 1), line(mug, 1)));

    published.assertIsSatisfied();
    var event = published.getExchanges().get(0).getMessage();
    assertThat(event.getHeader("ce_type")).isEqualTo("InventoryReserved");
    assertThat(event.getHeader("ce_source")).isEqualTo("/hub/inventory");
    assertThat(event.getHeader("ce_specversion")).isEqualTo("1.0");
    assertThat(event.getHeader("ce_id", String.class)).startsWith("inv-");
    assertThat(event.getHeader("ce_time", String.class)).matches("\\d{4}-\\d{2}-\\d{2}T.*");
    assertThat(event.getHeader(KafkaConstants.KEY)).isEqualTo(orderId);
    assertThat(event.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("inventory.events");
    // the record's own headers only: CloudEvent attributes, Kafka's, and its W3C trace context
    assertThat(event.getHeaders().keySet())
        .allMatch(
            h ->
                h.startsWith("ce_")
                    || h.startsWith("kafka.")
                    || h.startsWith("Camel")
                    || h.equals("traceparent"));
    assertThat(event.getHeader("ce_dataschema", String.class))
        .endsWith("/api/schemas/" + event.getHeader("ce_type"));
    JsonNode data = JSON.readTree(event.getBody(String.class));
    assertThat(data.get("orderId").asText()).isEqualTo(orderId);
    assertThat(data.get("lines").toString())
        .as("lines merged by SKU, in SKU order")
        .isEqualTo(
            "[{\"sku\":\"" + cap + "\",\"quantity\":1},{\"sku\":\"" + mug + "\",\"quantity\":3}]");
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(2, 3));
    assertThat(Stock.level(cap)).isEqualTo(new Stock.Level(0, 1));
    assertThat(Stock.held(orderId)).containsExactly(Map.entry(cap, 1), Map.entry(mug, 3));
    assertThat(Stock.status(orderId)).isEqualTo("RESERVED");
    assertThat(
            Stock.count(
                "select count(*) from inbox where service = 'inventory' and source = '/test'"
                    + " and event_id = ?",
                eventId))
        .isEqualTo(1);
  }

  @Test
  void theTransactionRunsAtTheConfiguredIsolationLevel() throws Exception {
    String mug = sku("MUG");
    Stock.set(mug, 1);
    published.expectedMessageCount(1);

    consume("evt-" + UUID.randomUUID(), orderCreated("order-" + UUID.randomUUID(), line(mug, 1)));

    published.assertIsSatisfied();
    assertThat(published.getExchanges().get(0).getProperty("transactionIsolation"))
        .as("current_setting('transaction_isolation') inside the transaction")
        .isEqualTo("repeatable read");
  }

  @Test
  void oneShortLineRejectsTheWholeOrderAndTakesNothing() throws Exception {
    String mug = sku("MUG");
    String cap = sku("CAP");
    Stock.set(mug, 5);
    Stock.set(cap, 1);
    String orderId = "order-" + UUID.randomUUID();
    published.expectedMessageCount(1);

    // the mug line is taken first (SKU order is CAP, MUG: here the cap comes first and is short)
    consume("evt-" + UUID.randomUUID(), orderCreated(orderId, line(mug, 2), line(cap, 2)));

    published.assertIsSatisfied();
    var event = published.getExchanges().get(0).getMessage();
    assertThat(event.getHeader("ce_type")).isEqualTo("InventoryRejected");
    assertThat(JSON.readTree(event.getBody(String.class)).get("reason").asText())
        .isEqualTo("OUT_OF_STOCK");
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(5, 0));
    assertThat(Stock.level(cap)).isEqualTo(new Stock.Level(1, 0));
    assertThat(Stock.held(orderId)).isEmpty();
    assertThat(Stock.status(orderId)).isEqualTo("REJECTED");
  }

  @Test
  void aLineTakenBeforeTheShortOneIsGivenBack() throws Exception {
    String first = sku("A");
    String second = sku("B");
    Stock.set(first, 5);
    Stock.set(second, 0);
    String orderId = "order-" + UUID.randomUUID();
    published.expectedMessageCount(1);

    consume("evt-" + UUID.randomUUID(), orderCreated(orderId, line(first, 2), line(second, 1)));

    published.assertIsSatisfied();
    assertThat(published.getExchanges().get(0).getMessage().getHeader("ce_type"))
        .isEqualTo("InventoryRejected");
    assertThat(Stock.level(first)).isEqualTo(new Stock.Level(5, 0));
  }

  @Test
  void unknownSkusAreRejectedAndInvalidQuantitiesDeadLetteredWithTheirReason() throws Exception {
    String mug = sku("MUG");
    Stock.set(mug, 5);
    published.expectedMessageCount(1);
    deadLetters.expectedMessageCount(3);

    consume(
        "evt-" + UUID.randomUUID(), orderCreated("o-1-" + mug, line(mug, 1), line(sku("NONE"), 1)));
    // quantities the OrderCreated schema refuses: the record is bad, not the order
    consume("evt-" + UUID.randomUUID(), orderCreated("o-2-" + mug, line(mug, 0)));
    consume("evt-" + UUID.randomUUID(), orderCreated("o-3-" + mug, line(mug, -3)));
    consume(
        "evt-" + UUID.randomUUID(),
        "{\"orderId\":\"o-4-" + mug + "\",\"lines\":[{\"sku\":\"" + mug + "\",\"quantity\":1.5}]}");

    published.assertIsSatisfied();
    deadLetters.assertIsSatisfied();
    assertThat(published.getExchanges())
        .extracting(e -> JSON.readTree(e.getMessage().getBody(String.class)).get("reason").asText())
        .containsExactly("UNKNOWN_SKU");
    assertThat(deadLetters.getExchanges())
        .extracting(e -> e.getMessage().getHeader("hub_dlq_reason", String.class))
        .allSatisfy(
            reason ->
                assertThat(reason)
                    .startsWith("The event data does not match the schema of OrderCreated")
                    .contains("quantity"));
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(5, 0));
  }

  @Test
  void aRedeliveredEventReservesOnceAndPublishesTheSameEventAgain() throws Exception {
    String mug = sku("MUG");
    Stock.set(mug, 5);
    String orderId = "order-" + UUID.randomUUID();
    String eventId = "evt-" + UUID.randomUUID();
    published.expectedMessageCount(2);

    consume(eventId, orderCreated(orderId, line(mug, 2)));
    consume(eventId, orderCreated(orderId, line(mug, 2)));

    published.assertIsSatisfied();
    var first = published.getExchanges().get(0).getMessage();
    var again = published.getExchanges().get(1).getMessage();
    assertThat(again.getHeader("ce_id")).isEqualTo(first.getHeader("ce_id"));
    assertThat(again.getHeader("ce_time")).isEqualTo(first.getHeader("ce_time"));
    assertThat(again.getBody(String.class)).isEqualTo(first.getBody(String.class));
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(3, 2));
  }

  @Test
  void aCrashBetweenTheCommitAndThePublishLosesNoEvent() throws Exception {
    String mug = sku("MUG");
    Stock.set(mug, 5);
    String orderId = "order-" + UUID.randomUUID();
    String eventId = "evt-" + UUID.randomUUID();
    String data = orderCreated(orderId, line(mug, 2));
    // the transaction commits, then the hub dies before publishing: only the commit happened
    Exchange committed =
        reserveStock.send(
            e -> {
              // the source OrderRecords.consume gives it
              e.setProperty("eventSource", "/test");
              e.setProperty(
                  "stockRequest",
                  published
                      .getCamelContext()
                      .getRegistry()
                      .lookupByNameAndType(
                          "stockRequests", io.eventhub.inventory.StockRequests.class)
                      .fromOrderCreated(data, eventId));
            });
    assertThat(committed.getException()).isNull();
    String decided =
        committed.getProperty("stockOutcome", io.eventhub.inventory.StockOutcome.class).eventId();
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(3, 2));
    published.expectedMessageCount(1);

    // Kafka delivers the OrderCreated again, since its offset was never committed
    consume(eventId, data);

    published.assertIsSatisfied();
    var event = published.getExchanges().get(0).getMessage();
    assertThat(event.getHeader("ce_type")).isEqualTo("InventoryReserved");
    assertThat(event.getHeader("ce_id"))
        .as("the event decided before the crash")
        .isEqualTo(decided);
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(3, 2));
  }

  @Test
  void aRowLockedTooLongTimesOutRunsAgainThenGoesToTheDeadLetterTopic() throws Exception {
    String mug = sku("MUG");
    Stock.set(mug, 5);
    TransactionReruns reruns =
        published
            .getCamelContext()
            .getRegistry()
            .lookupByNameAndType("reserveStockReruns", TransactionReruns.class);
    long before = reruns.reruns("lock_timeout");
    published.expectedMessageCount(0);
    deadLetters.expectedMessageCount(1);

    try (Connection other = DriverManager.getConnection(TestEngines.jdbcUrl(), "postgres", "")) {
      other.setAutoCommit(false);
      try (PreparedStatement lock =
          other.prepareStatement("select * from inventory where sku = ? for update")) {
        lock.setString(1, mug);
        lock.executeQuery().close();
      }
      consume("evt-" + UUID.randomUUID(), orderCreated("order-" + UUID.randomUUID(), line(mug, 1)));
      deadLetters.assertIsSatisfied();
      other.rollback();
    }

    published.assertIsSatisfied();
    var dead = deadLetters.getExchanges().get(0).getMessage();
    assertThat(dead.getHeader("hub_dlq_reason", String.class))
        .contains("3 runs")
        .contains("lock_timeout=3");
    assertThat(dead.getHeader("hub_dlq_exception", String.class))
        .isEqualTo(TransactionConflictsExhausted.class.getName());
    assertThat(dead.getHeader("hub_dlq_attempts", String.class))
        .as("the delivery is not retried on top of the runs")
        .isEqualTo("1");
    assertThat(reruns.reruns("lock_timeout") - before).isEqualTo(2);
    MeterRegistry meters =
        published
            .getCamelContext()
            .getRegistry()
            .lookupByNameAndType("metricsRegistry", MeterRegistry.class);
    assertThat(
            meters
                .get("hub.transaction.reruns")
                .tags("transaction", "reserve-stock", "reason", "lock_timeout")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(2);
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(5, 0));
  }

  @Test
  void dataThatIsNoOrderGoesToTheDeadLetterTopicWithoutRetries() throws Exception {
    published.expectedMessageCount(0);
    deadLetters.expectedMessageCount(1);

    consume("evt-" + UUID.randomUUID(), "{\"customerId\":\"c-1\"}");

    deadLetters.assertIsSatisfied();
    published.assertIsSatisfied();
    var dead = deadLetters.getExchanges().get(0).getMessage();
    assertThat(dead.getHeader("hub_dlq_reason", String.class)).contains("orderId");
    assertThat(dead.getHeader("hub_dlq_attempts", String.class)).isEqualTo("1");
    assertThat(dead.getHeader(KafkaConstants.OVERRIDE_TOPIC))
        .isEqualTo("orders.events.inventory.dlq");
  }

  @Test
  void otherOrderEventsAreNotForThisRoute() throws Exception {
    published.expectedMessageCount(0);

    OrderRecords.consume(
        orders,
        "evt-" + UUID.randomUUID(),
        "OrderConfirmed",
        Fixtures.text("order-confirmed", "orderId", "o-x"));

    published.assertIsSatisfied();
  }

  private void consume(String eventId, String data) {
    OrderRecords.consume(orders, eventId, "OrderCreated", data);
  }
}
