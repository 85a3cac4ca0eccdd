package io.eventhub.engines;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded Kafka broker as a process of its own, so the hub can be killed and restarted
 * while the broker lives on: {@code mvn -q exec:java@broker}. Settings as system properties: {@code
 * hub.kafka.embedded.data-dir}, {@code hub.kafka.embedded.host}, {@code hub.kafka.embedded.port},
 * {@code hub.kafka.embedded.controller-port}, {@code hub.kafka.partitions}. Point the hub at it
 * with {@code camel.component.kafka.brokers}.
 */
public final class StandaloneKafkaBroker {

  private StandaloneKafkaBroker() {}

  public static void main(String[] args) throws Exception {
    EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(
            Path.of(
                System.getProperty(
                    "hub.kafka.embedded.data-dir", "target/hub-data/kafka-standalone")),
            System.getProperty("hub.kafka.embedded.host", "127.0.0.1"),
            Integer.getInteger("hub.kafka.embedded.port", 9092),
            Integer.getInteger("hub.kafka.embedded.controller-port", 9093),
            Integer.getInteger("hub.kafka.partitions", 6));
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
}
