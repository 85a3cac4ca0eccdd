package io.eventhub.support;

import io.eventhub.engines.EmbeddedKafkaBroker;
import io.eventhub.engines.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Kafka broker and a PostgreSQL of a test's own, for tests whose records or rows would otherwise
 * stay on the shared {@link TestEngines} and slow down or change the tests after them (a backlog of
 * hundreds of orders, fixed sample ids). While open, the hub's engine properties point at them as
 * system properties (which win over a {@link HubRunner}'s own); closing puts the shared ones back.
 */
public final class PrivateEngines implements AutoCloseable {

  private final EmbeddedKafkaBroker kafka;
  private final EmbeddedPostgresServer postgres;
  private final Map<String, String> replaced = new LinkedHashMap<>();

  public PrivateEngines(String name) throws Exception {
    kafka =
        new EmbeddedKafkaBroker(
                Files.createTempDirectory("hub-" + name + "-kafka"),
                "127.0.0.1",
                TestEngines.freePort(),
                TestEngines.freePort(),
                3)
            .start();
    postgres =
        // a fixed port, so a stopped database comes back at the same address
        new EmbeddedPostgresServer(
                Files.createTempDirectory("hub-" + name + "-postgres"), TestEngines.freePort())
            .start();
    properties()
        .forEach(
            (key, value) -> {
              replaced.put(key, System.getProperty(key));
              System.setProperty(key, value);
            });
  }

  /** The engine properties a hub needs to run on these engines. */
  public Map<String, String> properties() {
    return Map.of(
        "camel.component.kafka.brokers", kafka.bootstrapServers(),
        "hub.db.url", postgres.jdbcUrl(),
        "hub.db.user", postgres.user());
  }

  public String brokers() {
    return kafka.bootstrapServers();
  }

  public String jdbcUrl() {
    return postgres.jdbcUrl();
  }

  /** Stops the broker; {@link #startKafka()} brings it back on its data and ports. */
  public void stopKafka() {
    kafka.close();
  }

  public void startKafka() throws Exception {
    kafka.start();
  }

  /** Stops PostgreSQL; {@link #startPostgres()} brings it back on its data and port. */
  public void stopPostgres() throws Exception {
    postgres.close();
  }

  public void startPostgres() throws Exception {
    postgres.start();
  }

  @Override
  public void close() throws Exception {
    replaced.forEach(
        (key, value) -> {
          if (value == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, value);
          }
        });
    kafka.close();
    postgres.close();
  }
}
