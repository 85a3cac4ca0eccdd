package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.PrivateEngines;
import io.eventhub.support.SliceProcess;
import io.eventhub.support.TestEngines;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The hub killed with SIGKILL in the middle of delivering, in the middle of a batch: shipping hangs
 * on the calls in flight, so each consumer (one per partition) stops inside the records of its
 * poll, some of which shipping had already accepted while the batch's offsets were not committed
 * yet. After a new hub starts, every event that intake had accepted (202) reaches shipping exactly
 * once: the records of the cut batch come again, and the inbox skips those already delivered.
 */
class HubCrashIT {

  @Test
  void killedMidDeliveryNothingAcceptedIsLost() throws Exception {
    int events = 300;
    // engines of its own: the hundreds of orders it leaves would be a backlog for later tests
    try (PrivateEngines engines = new PrivateEngines("crash");
        FakeService shipping = new FakeService()) {
      // deliveries take longer than intake, so every partition has a backlog and each poll is full
      shipping.latency(Duration.ofMillis(1000));
      int port = TestEngines.freePort();
      Process hub =
          SliceProcess.start(
              engines,
              port,
              shipping.url("/crash"),
              new File(System.getProperty("java.io.tmpdir"), "hub-crash-it.log"));
      List<String> accepted = new ArrayList<>();
      List<String> cutBatch = List.of();
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
        // once shipping has had some of the events, it hangs on every new call: each consumer
        // stops at a record of its poll; kill the hub while a poll's earlier records are delivered
        // but its offsets are not committed (the batch is cut in the middle)
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered(shipping, accepted) >= 20);
        shipping.holdCalls();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !midBatch(engines, shipping, accepted).isEmpty());
        // every call shipping answered is in the inbox: only the held ones are in flight
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> inboxRows(engines) == delivered(shipping, accepted));
        cutBatch = midBatch(engines, shipping, accepted);
      } finally {
        hub.destroyForcibly();
        hub.waitFor();
      }
      assertThat(accepted).hasSize(events);
      int beforeRestart = delivered(shipping, accepted);
      assertThat(beforeRestart).as("killed before it had delivered everything").isLessThan(events);

      shipping.latency(Duration.ZERO);
      shipping.stopHolding();
      try (HubRunner restarted =
          new HubRunner(
              Map.of(
                  "hub.services.shipping.url",
                  shipping.url("/crash"),
                  "camel.main.routes-include-pattern",
                  SliceProcess.SLICE))) {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> delivered(shipping, accepted) == events);
      }
      long calls = accepted.stream().mapToLong(id -> shipping.callsFor(id).size()).sum();
      LoggerFactory.getLogger(HubCrashIT.class)
          .info(
              "Killed after {} of {} deliveries, {} of them in batches not committed; after the"
                  + " restart all {} delivered with {} repeated calls",
              beforeRestart,
              events,
              cutBatch.size(),
              events,
              calls - events);
      assertThat(calls - events)
          .as("repeated calls: only those in flight when the hub was killed")
          .isLessThanOrEqualTo(5);
      assertThat(cutBatch)
          .as("events of the cut batch delivered before the kill, their offsets not committed")
          .isNotEmpty();
      assertThat(accepted)
          .as("every event accepted by shipping exactly once, the cut batch's too")
          .allSatisfy(id -> assertThat(shipping.acceptedFor(id)).as(id).isEqualTo(1));
    }
  }

  /**
   * The events shipping accepted whose records lie at or after their partition's committed offset,
   * before a record whose call shipping holds: delivered in a batch the killed hub had not
   * finished.
   */
  private static List<String> midBatch(
      PrivateEngines engines, FakeService shipping, List<String> accepted) throws Exception {
    Map<Integer, Long> committed =
        KafkaProbe.committedOffsets(engines.brokers(), "shipping", "orders.events");
    Set<String> held = new TreeSet<>(shipping.heldEventIds());
    Set<String> ours = new TreeSet<>(accepted);
    Map<Integer, Long> heldAt = new java.util.HashMap<>();
    List<ConsumerRecord<String, String>> records =
        KafkaProbe.readAll(engines.brokers(), "orders.events");
    for (ConsumerRecord<String, String> record : records) {
      if (held.contains(KafkaProbe.header(record, "ce_id"))) {
        heldAt.merge(record.partition(), record.offset(), Math::min);
      }
    }
    List<String> cut = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      String id = KafkaProbe.header(record, "ce_id");
      Long hold = heldAt.get(record.partition());
      if (ours.contains(id)
          && hold != null
          && record.offset() < hold
          && record.offset() >= committed.getOrDefault(record.partition(), 0L)
          && shipping.acceptedFor(id) > 0) {
        cut.add(id);
      }
    }
    return cut;
  }

  /** The shipping inbox's rows: the events the hub recorded as delivered. */
  private static int inboxRows(PrivateEngines engines) throws Exception {
    try (java.sql.Connection db =
            java.sql.DriverManager.getConnection(engines.jdbcUrl(), "postgres", "");
        java.sql.ResultSet rows =
            db.createStatement()
                .executeQuery("select count(*) from inbox where service = 'shipping'")) {
      rows.next();
      return rows.getInt(1);
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
}
