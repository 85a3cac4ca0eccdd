package io.eventhub.support;

import io.eventhub.engines.EmbeddedKafkaBroker;
import io.eventhub.engines.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;

/**
 * The real engines the tests run on: one Kafka broker and one PostgreSQL per test JVM, started on
 * first use on free ports, stopped when the JVM exits. They are handed to the hub as external
 * engines through system properties, which Camel's property placeholders read first.
 */
public final class TestEngines {

  private static EmbeddedKafkaBroker kafka;
  private static EmbeddedPostgresServer postgres;
  private static boolean stopHook;

  private TestEngines() {}

  /** Starts both engines (once) and points the hub's properties at them. */
  public static synchronized void start() {
    startPostgres();
    try {
      if (kafka == null) {
        kafka =
            new EmbeddedKafkaBroker(
                    Files.createTempDirectory("hub-test-kafka"),
                    "127.0.0.1",
                    freePort(),
                    freePort(),
                    3)
                .start();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty("camel.component.kafka.brokers", kafka.bootstrapServers());
  }

  /** Starts only PostgreSQL (once) and points the hub's properties at it, for route tests. */
  public static synchronized void startPostgres() {
    if (!stopHook) {
      Runtime.getRuntime().addShutdownHook(new Thread(TestEngines::stop));
      stopHook = true;
    }
    try {
      if (postgres == null) {
        postgres =
            new EmbeddedPostgresServer(Files.createTempDirectory("hub-test-postgres"), 0).start();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty("hub.db.url", postgres.jdbcUrl());
    System.setProperty("hub.db.user", postgres.user());
  }

  public static String brokers() {
    start();
    return kafka.bootstrapServers();
  }

  public static String jdbcUrl() {
    startPostgres();
    return postgres.jdbcUrl();
  }

  private static synchronized void stop() {
    try {
      if (kafka != null) {
        kafka.close();
      }
      if (postgres != null) {
        postgres.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
