package io.eventhub.reliability;

import static io.eventhub.persistence.SqlFiles.sql;

import io.eventhub.inventory.StockOutcome;
import io.eventhub.inventory.StockOutcomes;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The inventory's decisions as an outbox: each decision row ({@code inventory_orders}) commits with
 * the reservation, and is marked once its event is on Kafka. The relay ({@code
 * routes/inventory-decision-relay.camel.yaml}) claims the rows left unmarked, with {@code FOR
 * UPDATE SKIP LOCKED} and a lease on the database clock, so one instance publishes each.
 */
public class InventoryOutbox {

  private final NamedParameterJdbcTemplate jdbc;
  private final StockOutcomes outcomes;

  public InventoryOutbox(DataSource dataSource, StockOutcomes outcomes) {
    this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    this.outcomes = outcomes;
  }

  /**
   * Decisions not on Kafka for longer than {@code ageMillis}, leased to this instance for {@code
   * leaseMillis}.
   */
  public List<StockOutcome> unpublished(long ageMillis, long leaseMillis) {
    return jdbc
        .queryForList(
            sql("inventory/claim-unpublished"),
            Map.of("afterMs", ageMillis, "leaseMs", leaseMillis))
        .stream()
        .map(outcomes::stored)
        .toList();
  }

  /** The decision on the order is on Kafka. */
  public void published(String orderId) {
    jdbc.update(sql("inventory/mark-published"), Map.of("orderId", orderId));
  }
}
