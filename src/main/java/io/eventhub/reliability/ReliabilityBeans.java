package io.eventhub.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.inventory.StockOutcomes;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;

/**
 * The beans that keep the hub safe under faults and as several instances on one Kafka cluster and
 * one PostgreSQL: the inventory's outbox relay, the database's health, the inbox retention.
 */
public final class ReliabilityBeans {

  private ReliabilityBeans() {}

  public static void bind(
      CamelContext context, Settings settings, DataSource dataSource, ObjectMapper mapper)
      throws Exception {
    Registry registry = context.getRegistry();
    registry.bind("inventoryOutbox", new InventoryOutbox(dataSource, new StockOutcomes(mapper)));
    // /observe/health: DOWN within seconds when PostgreSQL does not answer
    DatabaseHealthCheck database =
        new DatabaseHealthCheck(
            settings.required("hub.db.url"),
            settings.orBlank("hub.db.user"),
            settings.orBlank("hub.db.password"),
            settings.integer("hub.db.health-timeout-seconds"));
    database.setCamelContext(context);
    registry.bind("databaseHealthCheck", database);
    registry.bind(
        "inboxRetention",
        new InboxRetention(
            dataSource,
            InboxRetention.checked(settings),
            settings.integer("hub.inbox.retention-batch")));
    context.addStartupListener(
        (ctx, alreadyStarted) -> {
          HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
          if (health != null && health.getCheck(database.getId()).isEmpty()) {
            health.register(database);
          }
        });
  }
}
