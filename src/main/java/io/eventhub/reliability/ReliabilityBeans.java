package io.eventhub.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.inventory.StockOutcomes;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The beans that keep the hub safe under faults and as several instances on one Kafka cluster and
 * one PostgreSQL: the inventory's outbox relay, the inbox retention (the database's health:
 * io.eventhub.health.HealthBeans).
 */
public final class ReliabilityBeans {

  private ReliabilityBeans() {}

  public static void bind(
      CamelContext context, Settings settings, DataSource dataSource, ObjectMapper mapper)
      throws Exception {
    Registry registry = context.getRegistry();
    registry.bind("inventoryOutbox", new InventoryOutbox(dataSource, new StockOutcomes(mapper)));
    registry.bind(
        "inboxRetention",
        new InboxRetention(
            dataSource,
            InboxRetention.checked(settings),
            settings.integer("hub.inbox.retention-batch")));
  }
}
