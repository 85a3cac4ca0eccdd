package io.eventhub.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.inventory.StockDecisions;
import io.eventhub.inventory.StockOutcome;
import io.eventhub.inventory.StockOutcomes;
import io.eventhub.inventory.StockParameters;
import io.eventhub.inventory.StockRequest;
import io.eventhub.inventory.StockRequests;
import io.eventhub.support.Stock;
import io.eventhub.support.TestEngines;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The lab's plain JDBC runner covers every branch of the reservation route, with each locking
 * strategy, on the real PostgreSQL: reserved, out of stock, unknown SKU, invalid, decided before
 * (the stored answer again) and cancelled before it arrived.
 */
class JdbcStockReservationsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static DriverManagerDataSource dataSource;

  @BeforeAll
  static void database() {
    dataSource = new DriverManagerDataSource(TestEngines.jdbcUrl(), "postgres", "");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pessimistic", "optimistic", "atomic"})
  void coversEveryBranchOfTheRoute(String locking) throws Exception {
    StockOutcomes outcomes = new StockOutcomes(JSON);
    JdbcStockReservations jdbc =
        new JdbcStockReservations(
            dataSource,
            "READ_COMMITTED",
            locking,
            new StockDecisions(outcomes),
            new StockParameters(2000, 10000),
            Map.of(
                "hub.inventory.retry.max-attempts", "5",
                "hub.inventory.retry.initial-delay-ms", "1",
                "hub.inventory.retry.max-delay-ms", "5"));
    StockRequests requests = new StockRequests(JSON);
    String mug = "MUG-" + UUID.randomUUID().toString().substring(0, 8);
    String cap = "CAP-" + UUID.randomUUID().toString().substring(0, 8);
    Stock.set(mug, 3);
    Stock.set(cap, 0);

    StockRequest reserved = order(requests, line(mug, 2));
    StockOutcome first = jdbc.reserve(reserved);
    assertThat(first.isReserved()).isTrue();
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(1, 2));

    StockOutcome again = jdbc.reserve(reserved);
    assertThat(again.stored()).as("decided before: the same answer").isTrue();
    assertThat(again.eventId()).isEqualTo(first.eventId());
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(1, 2));

    assertThat(jdbc.reserve(order(requests, line(mug, 1), line(cap, 1))).reason())
        .isEqualTo("OUT_OF_STOCK");
    assertThat(Stock.level(mug)).as("a short line takes nothing").isEqualTo(new Stock.Level(1, 2));
    assertThat(jdbc.reserve(order(requests, line(mug, 1), line("NONE-" + mug, 1))).reason())
        .isEqualTo("UNKNOWN_SKU");
    assertThat(jdbc.reserve(order(requests, line(mug, 0))).reason()).isEqualTo("INVALID_QUANTITY");

    StockRequest cancelled = order(requests, line(mug, 1));
    Stock.update(
        "insert into inventory_orders (order_id, status) values (?, 'CANCELLED')",
        cancelled.orderId());
    assertThat(jdbc.reserve(cancelled).reason()).isEqualTo("ORDER_CANCELLED");
    assertThat(Stock.status(cancelled.orderId())).isEqualTo("REJECTED");
    assertThat(Stock.level(mug)).isEqualTo(new Stock.Level(1, 2));
  }

  private static StockRequest order(StockRequests requests, String... lines) throws Exception {
    String orderId = "lab-test-" + UUID.randomUUID();
    return requests.fromOrderCreated(
        "{\"orderId\":\"" + orderId + "\",\"lines\":[" + String.join(",", lines) + "]}",
        "evt-" + orderId);
  }

  private static String line(String sku, int quantity) {
    return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
  }
}
