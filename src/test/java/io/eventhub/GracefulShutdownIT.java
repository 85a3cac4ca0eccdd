package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.PrivateEngines;
import io.eventhub.support.TestEngines;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM while calls to a slow shipping service are in flight: the hub finishes them, commits the
 * offsets of what it processed and exits within {@code camel.main.shutdown-timeout}; a hub started
 * again on the same Kafka and PostgreSQL delivers the rest, and shipping sees each order exactly
 * once: no repeated call, nothing lost, and no record read again for the inbox to absorb.
 */
class GracefulShutdownIT {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdownIT.class);

  private static final String SLICE =
      "file:routes/delivery-conventions.camel.yaml,file:routes/intake-events.camel.yaml,"
          + "file:routes/outside-services.camel.yaml,file:routes/consumer-templates.camel.yaml,"
          + "file:routes/shipping-on-order-created.camel.yaml";

  /** camel.main.shutdown-timeout of the hub under test, in seconds. */
  private static final int SHUTDOWN_TIMEOUT = 10;

  /** Shipping's answer time: long enough that a call is always in flight at the SIGTERM. */
  private static final Duration SLOW = Duration.ofMillis(1500);

  @Test
  void sigtermFinishesInFlightWorkAndARestartRepeatsNothing() throws Exception {
    int orders = 20;
    try (PrivateEngines engines = new PrivateEngines("shutdown");
        FakeService shipping = new FakeService()) {
      shipping.latency(SLOW);
      int port = TestEngines.freePort();
      File log = new File(System.getProperty("java.io.tmpdir"), "hub-graceful-shutdown-it.log");
      Process hub = startHubProcess(engines, port, shipping.url("/shipping"), log);
      List<String> accepted = new ArrayList<>();
      long signalled;
      long exited;
      int inFlight;
      try {
        await()
            .atMost(Duration.ofSeconds(120))
            .ignoreExceptions()
            .until(
                () ->
                    Http.get("http://127.0.0.1:" + port + "/observe/health/ready").statusCode()
                        == 200);
        for (int i = 0; i < orders; i++) {
          String[] event = Events.orderCreated();
          assertThat(
                  Http.post(
                          "http://127.0.0.1:" + port + "/api/events",
                          "application/cloudevents+json",
                          event[1])
                      .statusCode())
              .isEqualTo(202);
          accepted.add(event[0]);
        }
        // a few delivered, and one call sent but not yet answered
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    shipping.calls().size() >= 2 && shipping.received() > shipping.calls().size());
        inFlight = shipping.received() - shipping.calls().size();
        signalled = System.nanoTime();
        hub.destroy(); // SIGTERM
        assertThat(hub.waitFor(SHUTDOWN_TIMEOUT + 20, TimeUnit.SECONDS))
            .as("the hub exits on SIGTERM")
            .isTrue();
        exited = System.nanoTime();
      } finally {
        if (hub.isAlive()) {
          hub.destroyForcibly().waitFor();
        }
      }
      long stopMillis = (exited - signalled) / 1_000_000;
      int exitCode = hub.exitValue();
      // the calls in flight at the SIGTERM were answered and counted before the exit
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> shipping.received() == shipping.calls().size());
      int callsBeforeRestart = shipping.calls().size();
      long committed = committedOffsets(engines.brokers(), "shipping");

      assertThat(exitCode).as("exit code after SIGTERM (0, or 143 = 128 + SIGTERM)").isIn(0, 143);
      assertThat(stopMillis)
          .as("stopped within camel.main.shutdown-timeout (%d s)", SHUTDOWN_TIMEOUT)
          .isLessThan(SHUTDOWN_TIMEOUT * 1000L);
      assertThat(callsBeforeRestart)
          .as("it stopped before delivering everything")
          .isLessThan(orders);

      shipping.latency(Duration.ZERO);
      try (HubRunner restarted =
          new HubRunner(
              Map.of(
                  "hub.services.shipping.url",
                  shipping.url("/shipping"),
                  "camel.main.routes-include-pattern",
                  SLICE))) {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> accepted.stream().allMatch(id -> shipping.acceptedFor(id) > 0));
      }
      long total = shipping.calls().size();
      long distinct =
          shipping.calls().stream().map(FakeService.Call::idempotencyKey).distinct().count();
      LOG.info(
          "SIGTERM with {} call(s) in flight after {} of {} deliveries: exit code {} after {} ms;"
              + " offsets committed for {} records; after the restart {} calls for {} distinct"
              + " Idempotency-Keys ({} orders)",
          inFlight,
          callsBeforeRestart,
          orders,
          exitCode,
          stopMillis,
          committed,
          total,
          distinct,
          orders);
      assertThat(distinct).as("every order shipped").isEqualTo(orders);
      assertThat(total).as("no order's shipping call repeated").isEqualTo(orders);
      assertThat(committed)
          .as("the offset of every record processed before the stop committed (none read again)")
          .isEqualTo(callsBeforeRestart);
    }
  }

  /** The sum of the group's committed offsets: the records it has done, on a fresh topic. */
  private static long committedOffsets(String brokers, String group) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    try (Admin admin = Admin.create(props)) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .values()
          .stream()
          .mapToLong(OffsetAndMetadata::offset)
          .sum();
    }
  }

  private static Process startHubProcess(
      PrivateEngines engines, int port, String shippingUrl, File log) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.add("-Dhub.http.port=" + port);
    command.add("-Dcamel.component.kafka.brokers=" + engines.brokers());
    command.add("-Dhub.db.url=" + engines.jdbcUrl());
    command.add("-Dhub.db.user=postgres");
    command.add("-Dhub.services.shipping.url=" + shippingUrl);
    command.add("-Dcamel.main.routes-include-pattern=" + SLICE);
    command.add("-Dcamel.main.shutdown-timeout=" + SHUTDOWN_TIMEOUT);
    command.add("-Dhub.security.clients=test");
    command.add("-Dhub.security.tokens.test.token=" + Http.TEST_TOKEN);
    command.add("-Dhub.security.tokens.test.roles=admin");
    command.add(App.class.getName());
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }
}
