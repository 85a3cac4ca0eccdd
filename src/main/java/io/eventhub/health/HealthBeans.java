package io.eventhub.health;

import io.eventhub.Settings;
import io.eventhub.engines.EngineConfiguration;
import io.eventhub.reliability.DatabaseHealthCheck;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The hub's readiness checks, besides Camel's own (context, routes, consumers): PostgreSQL, Kafka,
 * and Redis when the profile cache is there. All are readiness only, none liveness: an engine
 * outage makes the hub not ready (a load balancer sends it nothing), never a process to restart.
 * {@code /observe/health/ready} and {@code /observe/health/live} (camel-platform-http-main) answer
 * 503 when DOWN.
 */
public final class HealthBeans {

  private HealthBeans() {}

  public static void bind(CamelContext context, Settings settings) throws Exception {
    List<AbstractHealthCheck> checks = new ArrayList<>();
    checks.add(
        new DatabaseHealthCheck(
            settings.required("hub.db.url"),
            settings.orBlank("hub.db.user"),
            settings.orBlank("hub.db.password"),
            settings.integer("hub.db.health-timeout-seconds")));
    KafkaHealthCheck kafka =
        new KafkaHealthCheck(
            settings.required("camel.component.kafka.brokers"),
            settings.integer("hub.kafka.health-timeout-ms"));
    context.addService(EngineConfiguration.stopping(kafka), true, true);
    checks.add(kafka);
    String redis = settings.orBlank("hub.cache.redis.url");
    if (!redis.isEmpty()) {
      checks.add(
          new RedisHealthCheck(redis, settings.integer("hub.cache.redis.health-timeout-ms")));
    }
    for (AbstractHealthCheck check : checks) {
      check.setCamelContext(context);
      context.getRegistry().bind(check.getId() + "HealthCheck", check);
    }
    // the registry exists once the context starts; register there what it did not pick up itself
    context.addStartupListener(
        (ctx, alreadyStarted) -> {
          HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
          if (health != null) {
            for (HealthCheck check : checks) {
              if (health.getCheck(check.getId()).isEmpty()) {
                health.register(check);
              }
            }
          }
        });
  }
}
