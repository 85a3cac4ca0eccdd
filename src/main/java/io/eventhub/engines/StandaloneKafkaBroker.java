package io.eventhub.engines;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded Kafka broker as a process of its own, so the hub can be killed and restarted
 * while the broker lives on: {@code mvn -q exec:java@broker}. Its settings are the embedded
 * broker's, defaults from {@code application.properties}, each overridable as a system property:
 * {@code hub.kafka.embedded.data-dir}, {@code hub.kafka.embedded.host}, {@code
 * hub.kafka.embedded.port}, {@code hub.kafka.embedded.controller-port}, {@code
 * hub.kafka.embedded.flush-messages}, {@code hub.kafka.partitions}. Point the hub at it with {@code
 * camel.component.kafka.brokers}.
 */
public final class StandaloneKafkaBroker {

  private StandaloneKafkaBroker() {}

  public static void main(String[] args) throws Exception {
    Properties settings = settings();
    EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(
            Path.of(setting(settings, "hub.kafka.embedded.data-dir")),
            setting(settings, "hub.kafka.embedded.host"),
            Integer.parseInt(setting(settings, "hub.kafka.embedded.port")),
            Integer.parseInt(setting(settings, "hub.kafka.embedded.controller-port")),
            Integer.parseInt(setting(settings, "hub.kafka.partitions")));
    broker.flushEvery(Long.parseLong(setting(settings, "hub.kafka.embedded.flush-messages")));
    broker.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  stopped.countDown();
                }));
    System.out.println("KAFKA_BOOTSTRAP=" + broker.bootstrapServers());
    stopped.await();
  }

  /** application.properties from the classpath, system properties on top. */
  private static Properties settings() throws IOException {
    Properties settings = new Properties();
    try (InputStream in =
        StandaloneKafkaBroker.class.getResourceAsStream("/application.properties")) {
      if (in != null) {
        settings.load(in);
      }
    }
    settings.putAll(System.getProperties());
    return settings;
  }

  private static String setting(Properties settings, String key) {
    String value = settings.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("Missing setting " + key + " (set it as -D" + key + "=...)");
    }
    return value.trim();
  }
}
