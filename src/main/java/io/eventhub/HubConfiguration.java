package io.eventhub;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.callbacks.CallbackBeans;
import io.eventhub.chat.ChatBeans;
import io.eventhub.delivery.DeliveryBeans;
import io.eventhub.engines.EngineConfiguration;
import io.eventhub.files.FileBeans;
import io.eventhub.health.HealthBeans;
import io.eventhub.http.HttpThreads;
import io.eventhub.http.LogSafe;
import io.eventhub.http.Problems;
import io.eventhub.intake.IntakeBeans;
import io.eventhub.inventory.InventoryBeans;
import io.eventhub.json.StrictJson;
import io.eventhub.logs.LogBeans;
import io.eventhub.metrics.MetricsBeans;
import io.eventhub.openapi.OpenApiBeans;
import io.eventhub.orders.OrderBeans;
import io.eventhub.profile.ProfileBeans;
import io.eventhub.reliability.ReliabilityBeans;
import io.eventhub.security.SecurityBeans;
import io.eventhub.tracing.TracingBeans;
import java.lang.management.ManagementFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one set-up the runner ({@link App}) and the tests share: the engines first, then each
 * feature's beans, bound in its own package's {@code *Beans} class under the names the routes use.
 */
public class HubConfiguration implements CamelConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

  @Override
  public void configure(CamelContext context) throws Exception {
    Settings settings = new Settings(context);
    Registry registry = context.getRegistry();

    EngineConfiguration engines = EngineConfiguration.start(context, settings);
    registry.bind("dataSource", engines.dataSource());

    // shared by every feature
    // duplicate keys refused, numbers read exactly (io.eventhub.json.StrictJson)
    ObjectMapper mapper = StrictJson.mapper();
    registry.bind("objectMapper", mapper);
    Problems problems = new Problems(mapper);
    registry.bind("problems", problems);
    HttpThreads.bind(registry, settings);
    // every line a route's log step writes is escaped (CR, LF, control characters)
    context.getCamelContextExtension().addLogListener(new LogSafe());
    // before the door and every feature: their meters go to the one registry
    MetricsBeans.bind(context, settings, engines.dataSource());
    SecurityBeans.bind(context, settings, mapper, problems);
    TracingBeans.bind(context, settings);

    IntakeBeans intake = IntakeBeans.bind(registry, settings, engines.dataSource(), mapper);
    DeliveryBeans.bind(registry, settings);
    LogBeans.bind(registry, settings);
    CallbackBeans.bind(registry, settings, engines.dataSource(), mapper, intake.cloudEvents());
    OrderBeans.bind(registry, settings, engines.dataSource(), mapper, intake);
    ProfileBeans.bind(context, settings, mapper);
    InventoryBeans.bind(context, settings, engines.dataSource(), mapper);
    FileBeans.bind(context, settings, engines.dataSource(), mapper, intake.cloudEvents(), problems);
    ChatBeans.bind(context, settings, engines.dataSource(), mapper, problems, intake);
    ReliabilityBeans.bind(context, settings, engines.dataSource(), mapper);
    OpenApiBeans.bind(context);
    HealthBeans.bind(context, settings);

    engines.createTopics(context, intake.catalog().topics());
    logWhenReady(context, settings.required("hub.http.port"), engines);
  }

  private static void logWhenReady(CamelContext context, String port, EngineConfiguration engines)
      throws Exception {
    context.addStartupListener(
        new StartupListener() {
          @Override
          public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {}

          @Override
          public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
            LOG.info(
                "Camel Event Hub ready {} ms after the JVM started: HTTP on port {}, Kafka at {},"
                    + " PostgreSQL at {}",
                ManagementFactory.getRuntimeMXBean().getUptime(),
                port,
                engines.brokers(),
                engines.jdbcUrl());
          }
        });
  }
}
