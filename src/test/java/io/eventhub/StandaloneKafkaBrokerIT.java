package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.TestEngines;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker as a process of its own: a hub uses it, stops, and a new hub carries on from
 * the offsets the broker kept, as reliability tests that kill the hub need.
 */
class StandaloneKafkaBrokerIT {

  @Test
  void aHubRestartedAgainstTheStandaloneBrokerContinuesWhereTheLastOneStopped() throws Exception {
    TestEngines.startPostgres();
    int port = TestEngines.freePort();
    Path data = Files.createTempDirectory("hub-standalone-broker");
    Process broker =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dhub.kafka.embedded.port=" + port,
                "-Dhub.kafka.embedded.controller-port=" + TestEngines.freePort(),
                "-Dhub.kafka.embedded.data-dir=" + data,
                "-Dhub.kafka.partitions=3",
                "io.eventhub.engines.StandaloneKafkaBroker")
            .redirectErrorStream(true)
            .start();
    String saved = System.getProperty("camel.component.kafka.brokers");
    try (FakeService shipping = new FakeService()) {
      String bootstrap = awaitBootstrap(broker);
      assertThat(bootstrap).isEqualTo("127.0.0.1:" + port);
      System.setProperty("camel.component.kafka.brokers", bootstrap);
      Map<String, String> properties = new HashMap<>();
      properties.put("hub.services.shipping.url", shipping.url("/shipments"));
      properties.put(
          "camel.main.routes-include-pattern",
          "file:routes/delivery-conventions.camel.yaml,file:routes/intake-events.camel.yaml,file:routes/intake-batch.camel.yaml,"
              + "file:routes/outside-services.camel.yaml,file:routes/consumer-templates.camel.yaml,"
              + "file:routes/shipping-on-order-created.camel.yaml");

      String[] first = Events.orderCreated();
      try (HubRunner hub = new HubRunner(properties)) {
        post(hub, first[1]);
        await().atMost(Duration.ofSeconds(60)).until(() -> shipping.acceptedFor(first[0]) == 1);
      }
      // the hub committed what it had handled before it stopped
      assertThat(KafkaProbe.committed(bootstrap, "shipping", "orders.events"))
          .isEqualTo(KafkaProbe.recordCount(bootstrap, "orders.events"));
      // the hub is gone, the broker lives on: an event published meanwhile waits there
      String[] second = Events.orderCreated();
      KafkaProbe.send(
          bootstrap,
          "orders.events",
          "order-while-down",
          new ObjectMapper().readTree(second[1]).get("data").toString(),
          Map.of(
              "ce_id", second[0],
              "ce_type", "OrderCreated",
              "ce_source", "/test",
              "ce_specversion", "1.0"));
      try (HubRunner again = new HubRunner(properties)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> shipping.acceptedFor(second[0]) == 1);
        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(10))
            .until(() -> shipping.callsFor(first[0]).size() == 1);
      }
      assertThat(broker.isAlive()).as("the broker outlived both hubs").isTrue();
    } finally {
      if (saved != null) {
        System.setProperty("camel.component.kafka.brokers", saved);
      } else {
        System.clearProperty("camel.component.kafka.brokers");
      }
      broker.destroy();
      assertThat(broker.waitFor(30, TimeUnit.SECONDS)).as("the broker stops on SIGTERM").isTrue();
    }
  }

  private static void post(HubRunner hub, String event) {
    assertThat(
            Http.post(hub.url("/api/events"), "application/cloudevents+json", event).statusCode())
        .isEqualTo(202);
  }

  /** Reads the broker's output until it prints its address. */
  private static String awaitBootstrap(Process broker) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> bootstrap =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("KAFKA_BOOTSTRAP=")) {
                    String address = line.substring("KAFKA_BOOTSTRAP=".length());
                    // keep draining so the broker never blocks on a full pipe
                    CompletableFuture.runAsync(() -> drain(out));
                    return address;
                  }
                }
                return null;
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    return bootstrap.get(60, TimeUnit.SECONDS);
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // the broker's log is not needed
      }
    } catch (java.io.IOException e) {
      // the broker stopped
    }
  }
}
