package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.TestEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the embedded engines switched on ({@code hub.embedded.enabled}, as the dev profile does) and
 * no Kafka and no PostgreSQL configured, the hub starts its own (a KRaft broker in its JVM,
 * PostgreSQL binaries), comes up healthy, and finds its data again after a restart on the same
 * folders.
 */
class EmbeddedEnginesIT {

  private static final List<String> EXTERNAL =
      List.of("camel.component.kafka.brokers", "hub.db.url", "hub.db.user");
  private static final Map<String, String> saved = new HashMap<>();

  @BeforeAll
  static void noExternalEngines() {
    for (String key : EXTERNAL) {
      String value = System.clearProperty(key);
      if (value != null) {
        saved.put(key, value);
      }
    }
  }

  @AfterAll
  static void restoreExternalEngines() {
    saved.forEach(System::setProperty);
  }

  @Test
  void startsItsOwnEnginesAndKeepsTheirDataAcrossARestart() throws Exception {
    Path data = Files.createTempDirectory("hub-embedded");
    int kafkaPort = TestEngines.freePort();
    String bootstrap = "127.0.0.1:" + kafkaPort;
    String[] event = Events.orderCreated();
    try (FakeService shipping = new FakeService()) {
      Map<String, String> properties =
          Map.of(
              "hub.embedded.enabled", "true",
              "hub.kafka.embedded.port", String.valueOf(kafkaPort),
              "hub.kafka.embedded.controller-port", String.valueOf(TestEngines.freePort()),
              "hub.kafka.embedded.data-dir", data.resolve("kafka").toString(),
              "hub.db.embedded.data-dir", data.resolve("postgres").toString(),
              "hub.services.shipping.url", shipping.url("/shipments"));

      try (HubRunner hub = new HubRunner(properties)) {
        awaitHealthy(hub);
        assertThat(hub.context().resolvePropertyPlaceholders("{{camel.component.kafka.brokers}}"))
            .isEqualTo(bootstrap);
        assertThat(cleanupPolicy(bootstrap, "users.events")).isEqualTo("compact");
        assertThat(cleanupPolicy(bootstrap, "orders.events")).isEqualTo("delete");
        assertThat(postEvent(hub, event[1])).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> shipping.acceptedFor(event[0]) == 1);
      }
      assertThat(Files.exists(data.resolve("postgres").resolve("PG_VERSION"))).isTrue();

      try (HubRunner again = new HubRunner(properties)) {
        awaitHealthy(again);
        // the broker kept the record and the database remembers the event id
        assertThat(recordsOf(bootstrap, event[0])).isEqualTo(1);
        assertThat(postEvent(again, event[1])).isEqualTo(202);
        assertThat(recordsOf(bootstrap, event[0])).isEqualTo(1);
        // and shipping's committed offset: nothing is delivered a second time
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> shipping.callsFor(event[0]).size() == 1);
      }
    }
  }

  /** How many records of orders.events carry this event id. */
  private static long recordsOf(String bootstrap, String eventId) {
    return KafkaProbe.readAll(bootstrap, "orders.events").stream()
        .filter(r -> eventId.equals(KafkaProbe.header(r, "ce_id")))
        .count();
  }

  private static String cleanupPolicy(String bootstrap, String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      return admin
          .describeConfigs(List.of(resource))
          .all()
          .get()
          .get(resource)
          .get("cleanup.policy")
          .value();
    }
  }

  private static int postEvent(HubRunner hub, String body) {
    return Http.post(hub.url("/api/events"), "application/cloudevents+json", body).statusCode();
  }

  private static void awaitHealthy(HubRunner hub) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var health = Http.get(hub.url("/observe/health"));
              return health.statusCode() == 200 && health.body().contains("\"UP\"");
            });
  }
}
