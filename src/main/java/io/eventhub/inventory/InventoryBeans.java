package io.eventhub.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.transactions.TransactionPolicies;
import io.eventhub.transactions.TransactionReruns;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.spi.Registry;

/**
 * Every bean the inventory routes refer to by name, bound in one place: the transaction policy per
 * isolation level ({@code ISOLATION_<LEVEL>}, {@code transactionalDataSource}), the stock beans,
 * and the reruns around the two transacted routes. Settings come from {@code hub.inventory.*}
 * (defaults in application.properties); a wrong isolation level or locking strategy stops the
 * start, naming the key.
 */
public final class InventoryBeans {

  private InventoryBeans() {}

  public static void bind(
      CamelContext context, Settings settings, DataSource dataSource, ObjectMapper mapper) {
    Registry registry = context.getRegistry();
    TransactionPolicies.bind(registry, dataSource);
    // two DataSource beans now: camel-sql would no longer pick one by itself
    context.getComponent("sql", SqlComponent.class).setDataSource(dataSource);
    TransactionPolicies.checkLevel(
        "hub.inventory.isolation", settings.required("hub.inventory.isolation"));
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
