package io.eventhub.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.transactions.TransactionPolicies;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.spi.Registry;

/**
 * The beans of the inventory ({@code routes/inventory-*.camel.yaml}): a transaction policy per
 * isolation level, and the beans of the stock routes.
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
    registry.bind("stockRequests", new StockRequests(mapper));
    registry.bind("stockDecisions", new StockDecisions());
    registry.bind("stockOutcomes", new StockOutcomes(mapper));
    registry.bind("stockLevels", new StockLevels(mapper));
  }
}
