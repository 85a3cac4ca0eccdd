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
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The hub killed with SIGKILL in the middle of delivering: after a new hub starts, every event that
 * intake had accepted (202) reaches shipping, and the only repeats are calls the killed hub had
 * made but not yet recorded, which carry the same Idempotency-Key.
 */
class HubCrashIT {

  private static final String SLICE =
      "file:routes/delivery-conventions.camel.yaml,file:routes/intake-events.camel.yaml,"
          + "file:routes/outside-services.camel.yaml,file:routes/consumer-templates.camel.yaml,"
          + "file:routes/shipping-on-order-created.camel.yaml";

  @Test
  void killedMidDeliveryNothingAcceptedIsLost() throws Exception {
    int events = 300;
    // engines of its own: the hundreds of orders it leaves would be a backlog for later tests
    try (PrivateEngines engines = new PrivateEngines("crash");
        FakeService shipping = new FakeService()) {
      // deliveries take longer than intake, so the hub is killed with a backlog
      shipping.latency(Duration.ofMillis(25));
      int port = TestEngines.freePort();
      Process hub = startHubProcess(engines, port, shipping.url("/crash"));
      List<String> accepted = new ArrayList<>();
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .ignoreExceptions()
            .until(
                () ->
                    Http.get("http://127.0.0.1:" + port + "/observe/health").body().contains("UP"));
        for (int i = 0; i < events; i++) {
          String[] event = Events.orderCreated();
          if (Http.post(
                      "http://127.0.0.1:" + port + "/api/events",
                      "application/cloudevents+json",
                      event[1])
                  .statusCode()
              == 202) {
            accepted.add(event[0]);
          }
        }
        // kill it while shipping has had some of the events but not all
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered(shipping, accepted) >= 20);
      } finally {
        hub.destroyForcibly();
        hub.waitFor();
      }
      assertThat(accepted).hasSize(events);
      int beforeRestart = delivered(shipping, accepted);
      assertThat(beforeRestart).as("killed before it had delivered everything").isLessThan(events);

      shipping.latency(Duration.ZERO);
      try (HubRunner restarted =
          new HubRunner(
              Map.of(
                  "hub.services.shipping.url",
                  shipping.url("/crash"),
                  "camel.main.routes-include-pattern",
                  SLICE))) {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> delivered(shipping, accepted) == events);
      }
      long calls = accepted.stream().mapToLong(id -> shipping.callsFor(id).size()).sum();
      LoggerFactory.getLogger(HubCrashIT.class)
          .info(
              "Killed after {} of {} deliveries; after the restart all {} delivered with {} repeated calls",
              beforeRestart,
              events,
              events,
              calls - events);
      assertThat(calls - events)
          .as("repeated calls: only those in flight when the hub was killed")
          .isLessThanOrEqualTo(5);
    }
  }

  /** How many of the events shipping accepted at least once. */
  private static int delivered(FakeService shipping, List<String> eventIds) {
    Set<String> seen = new TreeSet<>();
    for (String id : eventIds) {
      if (shipping.acceptedFor(id) > 0) {
        seen.add(id);
      }
    }
    return seen.size();
  }

  private static Process startHubProcess(PrivateEngines engines, int port, String shippingUrl)
      throws Exception {
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
    // the API's client whose token Http sends
    command.add("-Dhub.security.clients=test");
    command.add("-Dhub.security.tokens.test.token=" + Http.TEST_TOKEN);
    command.add("-Dhub.security.tokens.test.roles=admin");
    command.add(App.class.getName());
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "hub-crash-it.log"))
        .start();
  }
}
