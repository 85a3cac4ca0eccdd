package io.eventhub.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.transactions.CountedParameters;
import io.eventhub.transactions.TransactionPolicies;
import io.eventhub.transactions.TransactionReruns;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every bean the inventory routes refer to by name, bound in one place: the transaction policy per
 * isolation level ({@code ISOLATION_<LEVEL>}, {@code transactionalDataSource}; each operation names
 * its own level, {@code hub.inventory.isolation.<operation>}), the stock beans, and the reruns
 * around the two transacted routes. Settings come from {@code hub.inventory.*} (defaults in
 * application.properties); a wrong isolation level or locking strategy stops the start, naming the
 * key.
 */
public final class InventoryBeans {

  /** The stock operations that each run at an isolation level of their own. */
  public static final List<String> OPERATIONS = List.of("reserve", "release", "set-stock");

  private static final Logger LOG = LoggerFactory.getLogger(InventoryBeans.class);

  private InventoryBeans() {}

  public static void bind(
      CamelContext context, Settings settings, DataSource dataSource, ObjectMapper mapper) {
    Registry registry = context.getRegistry();
    TransactionPolicies.bind(registry, dataSource);
    // camel-jdbc's parameter count from the SQL text, not a round trip per statement
    registry.bind("countedParameters", new CountedParameters());
    // two DataSource beans now: camel-sql would no longer pick one by itself
    context.getComponent("sql", SqlComponent.class).setDataSource(dataSource);
    TransactionPolicies.checkLevel(
        "hub.inventory.isolation", settings.required("hub.inventory.isolation"));
    isolationPerOperation(settings);
    StockDecisions.checkLocking(settings.required("hub.inventory.locking"));

    StockOutcomes outcomes = new StockOutcomes(mapper);
    registry.bind("stockRequests", new StockRequests(mapper));
    registry.bind("stockDecisions", new StockDecisions(outcomes));
    registry.bind("stockOutcomes", outcomes);
    registry.bind("stockLevels", new StockLevels(mapper));
    registry.bind(
        "stockParameters",
        new StockParameters(
            Long.parseLong(settings.required("hub.inventory.lock-timeout-ms")),
            Long.parseLong(settings.required("hub.inventory.statement-timeout-ms"))));
    registry.bind(
        "reserveStockReruns",
        reruns(context, settings, "reserve-stock", "direct:reserve-stock-transaction"));
    registry.bind(
        "releaseStockReruns",
        reruns(context, settings, "release-stock", "direct:release-stock-transaction"));
  }

  /**
   * Checks the level of each stock operation ({@code hub.inventory.isolation.<operation>}, each
   * {@code {{hub.inventory.isolation}}} by default) and says once, at start, which of them asked
   * for READ_UNCOMMITTED and what PostgreSQL makes of it.
   */
  static Map<String, String> isolationPerOperation(Settings settings) {
    Map<String, String> levels = new LinkedHashMap<>();
    for (String operation : OPERATIONS) {
      String key = "hub.inventory.isolation." + operation;
      levels.put(key, TransactionPolicies.checkLevel(key, settings.required(key)));
    }
    List<String> uncommitted =
        levels.entrySet().stream()
            .filter(e -> e.getValue().equals(TransactionPolicies.READ_UNCOMMITTED))
            .map(Map.Entry::getKey)
            .toList();
    if (!uncommitted.isEmpty()) {
      LOG.info(
          "{} = READ_UNCOMMITTED: {}",
          String.join(", ", uncommitted),
          TransactionPolicies.READ_UNCOMMITTED_REASON);
    }
    LOG.debug("Stock isolation levels: {}", levels);
    return levels;
  }

  /** Runs a transacted stock route again whole on conflicts (hub.inventory.retry.*). */
  private static TransactionReruns reruns(
      CamelContext context, Settings settings, String name, String endpointUri) {
    TransactionReruns reruns = new TransactionReruns();
    reruns.setCamelContext(context);
    reruns.setName(name);
    reruns.setEndpointUri(endpointUri);
    reruns.setMaxAttempts(Integer.parseInt(settings.required("hub.inventory.retry.max-attempts")));
    reruns.setBackoff(
        Long.parseLong(settings.required("hub.inventory.retry.initial-delay-ms")),
        Long.parseLong(settings.required("hub.inventory.retry.max-delay-ms")));
    return reruns;
  }
}
