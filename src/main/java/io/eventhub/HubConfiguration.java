package io.eventhub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.eventhub.callbacks.PaymentCallbacks;
import io.eventhub.callbacks.WebhookVerifier;
import io.eventhub.delivery.DeadLetterTopics;
import io.eventhub.delivery.DeadLetters;
import io.eventhub.delivery.TransientFailures;
import io.eventhub.engines.EmbeddedKafkaBroker;
import io.eventhub.engines.EmbeddedPostgresServer;
import io.eventhub.engines.Topics;
import io.eventhub.http.Problems;
import io.eventhub.intake.CloudEvents;
import io.eventhub.intake.EventCatalog;
import io.eventhub.inventory.InventoryBeans;
import io.eventhub.orders.OrderSaga;
import io.eventhub.orders.Refunds;
import io.eventhub.profile.InMemoryProfileCache;
import io.eventhub.profile.ProfileCache;
import io.eventhub.profile.ProfileChangeLog;
import io.eventhub.profile.ProfileUpdates;
import io.eventhub.profile.RedisProfileCache;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.TimeUtils;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Set-up shared by the runner and the tests: the engines (embedded unless external ones are
 * configured), the schema migrations, and the beans the routes refer to by name.
 */
public class HubConfiguration implements CamelConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

  @Override
  public void configure(CamelContext context) throws Exception {
    PropertiesComponent properties = context.getPropertiesComponent();
    Registry registry = context.getRegistry();

    String brokers = kafka(context, properties);
    DataSource dataSource = database(context, properties);
    registry.bind("dataSource", dataSource);

    ObjectMapper mapper = new ObjectMapper();
    EventCatalog catalog = new EventCatalog(mapper);
    registry.bind("objectMapper", mapper);
    registry.bind("eventCatalog", catalog);
    CloudEvents cloudEvents =
        new CloudEvents(
            mapper, catalog, Integer.parseInt(get(properties, "hub.intake.max-bytes", "65536")));
    registry.bind("cloudEvents", cloudEvents);
    registry.bind("problems", new Problems(mapper));
    registry.bind("paymentCallbacks", paymentCallbacks(properties, mapper, cloudEvents));
    TransientFailures transientFailures = new TransientFailures();
    transientFailures.setMaxRedeliveries(
        Integer.parseInt(get(properties, "hub.retry.max-redeliveries", "5")));
    registry.bind("transientFailures", transientFailures);
    registry.bind("deadLetters", new DeadLetters());
    registry.bind(
        "orderSaga",
        new OrderSaga(
            dataSource,
            mapper,
            cloudEvents,
            catalog,
            Duration.ofMillis(
                TimeUtils.toMilliSeconds(get(properties, "hub.orders.payment-timeout", "15m")))));
    registry.bind("refunds", new Refunds(dataSource, mapper));

    // User profiles: what the profile routes and their query APIs share
    registry.bind("profileUpdates", new ProfileUpdates(mapper, catalog));
    ProfileChangeLog profileChangeLog = new ProfileChangeLog();
    profileChangeLog.setMaxRows(
        Integer.parseInt(get(properties, "hub.analytics.max-rows", "1000")));
    registry.bind("profileChangeLog", profileChangeLog);
    registry.bind("profileCache", profileCache(context, properties));

    // Inventory: transaction policies and every bean of the stock routes
    InventoryBeans.bind(context, dataSource, mapper);

    if (Boolean.parseBoolean(get(properties, "hub.kafka.create-topics", "true"))) {
      List<String> topics = new ArrayList<>(catalog.topics());
      Topics.ensure(
          brokers,
          topics,
          list(get(properties, "hub.kafka.compacted-topics", "")),
          Integer.parseInt(get(properties, "hub.kafka.partitions", "6")),
          Short.parseShort(get(properties, "hub.kafka.replication-factor", "1")));
      context.addStartupListener(new DeadLetterTopics(brokers));
    }

    String port = get(properties, "hub.http.port", "8080");
    String jdbcUrl = withoutQuery(get(properties, "hub.db.url", ""));
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
                brokers,
                jdbcUrl);
          }
        });
  }

  private static PaymentCallbacks paymentCallbacks(
      PropertiesComponent properties, ObjectMapper mapper, CloudEvents cloudEvents) {
    WebhookVerifier verifier =
        new WebhookVerifier(
            get(properties, "hub.callbacks.payments.secret", ""),
            Long.parseLong(get(properties, "hub.callbacks.tolerance-seconds", "300")),
            Clock.systemUTC());
    if (!verifier.hasSecrets()) {
      LOG.warn("No hub.callbacks.payments.secret is set: every payment callback will be refused");
    }
    return new PaymentCallbacks(
        verifier,
        cloudEvents,
        mapper,
        Integer.parseInt(get(properties, "hub.callbacks.max-bytes", "65536")),
        Clock.systemUTC());
  }

  /** Uses the configured Kafka cluster, or starts the embedded broker when none is set. */
  private static String kafka(CamelContext context, PropertiesComponent properties)
      throws Exception {
    String brokers = get(properties, "camel.component.kafka.brokers", "");
    if (brokers.isBlank()) {
      EmbeddedKafkaBroker broker =
          new EmbeddedKafkaBroker(
              Path.of(get(properties, "hub.kafka.embedded.data-dir", "target/hub-data/kafka")),
              get(properties, "hub.kafka.embedded.host", "127.0.0.1"),
              Integer.parseInt(get(properties, "hub.kafka.embedded.port", "9092")),
              Integer.parseInt(get(properties, "hub.kafka.embedded.controller-port", "9093")),
              Integer.parseInt(get(properties, "hub.kafka.partitions", "6")));
      broker.start();
      context.addService(stopping(broker), true, true);
      brokers = broker.bootstrapServers();
      properties.addOverrideProperty("camel.component.kafka.brokers", brokers);
    } else {
      LOG.info("Using the configured Kafka cluster at {}", brokers);
    }
    context.getComponent("kafka", KafkaComponent.class).getConfiguration().setBrokers(brokers);
    return brokers;
  }

  /** Uses the configured PostgreSQL, or starts the embedded one; then migrates the schema. */
  private static DataSource database(CamelContext context, PropertiesComponent properties)
      throws Exception {
    String url = get(properties, "hub.db.url", "");
    String user = get(properties, "hub.db.user", "");
    String password = get(properties, "hub.db.password", "");
    if (url.isBlank()) {
      EmbeddedPostgresServer postgres =
          new EmbeddedPostgresServer(
              Path.of(get(properties, "hub.db.embedded.data-dir", "target/hub-data/postgres")),
              Integer.parseInt(get(properties, "hub.db.embedded.port", "0")));
      postgres.start();
      url = postgres.jdbcUrl();
      user = postgres.user();
      properties.addOverrideProperty("hub.db.url", url);
      properties.addOverrideProperty("hub.db.user", user);
      // stopped after the pool, which is added later and so stopped earlier
      context.addService(stopping(postgres), true, true);
    } else {
      LOG.info("Using the configured PostgreSQL at {}", withoutQuery(url));
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(Integer.parseInt(get(properties, "hub.db.pool-size", "20")));
    config.setPoolName("hub-db");
    HikariDataSource dataSource = new HikariDataSource(config);
    context.addService(stopping(dataSource), true, true);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    return dataSource;
  }

  /**
   * The profile cache: Redis when {@code hub.cache.redis.url} is set, else in this process. A cache
   * in this process is this instance's alone, so its cache sync reads users.events from the
   * beginning as a consumer group of its own: a restart fills it again.
   */
  private static ProfileCache profileCache(CamelContext context, PropertiesComponent properties)
      throws Exception {
    String url = get(properties, "hub.cache.redis.url", "");
    if (url.isBlank()) {
      properties.addOverrideProperty(
          "hub.cache.sync.group-id",
          get(properties, "hub.cache.sync.group-id", "cache-sync") + "." + UUID.randomUUID());
      return new InMemoryProfileCache();
    }
    RedisProfileCache cache =
        new RedisProfileCache(url, get(properties, "hub.cache.redis.key-prefix", "hub:profile:"));
    context.addService(stopping(cache), true, true);
    URI address = URI.create(url);
    // the address without credentials
    LOG.info("Profile cache in Redis at {}:{}", address.getHost(), address.getPort());
    return cache;
  }

  private static ServiceSupport stopping(AutoCloseable engine) {
    return new ServiceSupport() {
      @Override
      protected void doStop() throws Exception {
        engine.close();
      }
    };
  }

  static String get(PropertiesComponent properties, String key, String fallback) {
    return properties.resolveProperty(key).map(String::trim).orElse(fallback);
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }
}
