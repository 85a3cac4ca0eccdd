package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.PrivateEngines;
import io.eventhub.support.SliceProcess;
import io.eventhub.support.TestEngines;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM while a call to a slow shipping service is in flight, on a hub process: within {@code
 * camel.main.shutdown-timeout} the hub finishes it, commits the offsets of what it processed and
 * exits; a hub started again on the same Kafka and PostgreSQL delivers the rest. Shipping's calls
 * are counted as made (answered), not as the inbox deduplicates them.
 */
class GracefulShutdownIT {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdownIT.class);

  /**
   * Shipping answers in 1.5 s, the shutdown timeout is the default 15 s: the call in flight and the
   * rest of the records already polled (at most max-poll-records, 5) finish, their offsets are
   * committed, and the restarted hub repeats nothing.
   */
  @Test
  void sigtermFinishesInFlightWorkAndARestartRepeatsNothing() throws Exception {
    Outcome run = sigtermThenRestart("shutdown", 20, Duration.ofMillis(1500), 15);
    assertThat(run.exitCode).as("exit code after SIGTERM (0, or 143 = 128 + SIGTERM)").isIn(0, 143);
    assertThat(run.stopMillis)
        .as("stopped within camel.main.shutdown-timeout (15 s, the default)")
        .isLessThan(15_000L);
    assertThat(run.distinct).as("every order shipped").isEqualTo(run.orders);
    assertThat(run.total).as("no order's shipping call repeated").isEqualTo(run.orders);
    assertThat(run.committed)
        .as("the offset of every record processed before the stop committed (none read again)")
        .isEqualTo(run.callsBeforeRestart);
    assertThat(run.deadLetters).isZero();
    assertThat(run.readyWhileStopping)
        .as("readiness DOWN while the hub drains its work")
        .isEqualTo(503);
  }

  /**
   * Shipping answers in 4 s, the shutdown timeout is 2 s: Camel stops waiting and forces the stop.
   * The calls under way (one per partition's consumer at most) are not recorded as done, so after
   * the restart they are made again, with the same Idempotency-Key; nothing is lost, nothing is
   * dead-lettered, and no call finished before the SIGTERM is repeated.
   */
  @Test
  void aStopForcedByTheTimeoutLosesNothingAndRepeatsOnlyCallsUnderWay() throws Exception {
    Outcome run = sigtermThenRestart("forced-shutdown", 6, Duration.ofSeconds(4), 2);
    assertThat(run.exitCode).isIn(0, 143);
    assertThat(run.stopMillis)
        .as("the 2 s wait, then a forced stop of a few seconds")
        .isLessThan(12_000L);
    assertThat(run.distinct).as("every order shipped").isEqualTo(run.orders);
    // with a consumer per partition (hub.delivery.consumers) several calls can be under way when
    // the stop is forced: the ones repeated are among those, never a call finished before the
    // SIGTERM
    assertThat(run.total - run.orders)
        .as("repeated calls: at most those unfinished at the SIGTERM or begun after it")
        .isLessThanOrEqualTo(run.unfinished);
    assertThat(run.repeatedKeys)
        .as("no call finished before the SIGTERM is made again")
        .doesNotContainAnyElementsOf(run.finishedBeforeSigterm);
    assertThat(run.deadLetters).as("a forced stop dead-letters nothing").isZero();
  }

  /**
   * Shipping refuses every call (503) and the hub is stopped while it retries: the retries run out
   * during the stop, and the record is not dead-lettered but left uncommitted, so the hub started
   * again delivers it (routes/delivery-conventions.camel.yaml, TransientFailures.cutByStop).
   */
  @Test
  void aRecordWhoseRetriesRunOutWhileTheHubStopsIsTakenAgainNotDeadLettered() throws Exception {
    try (PrivateEngines engines = new PrivateEngines("cut-by-stop");
        FakeService shipping = new FakeService()) {
      shipping.answer(503);
      Map<String, String> properties =
          Map.of(
              "hub.services.shipping.url",
              shipping.url("/shipping"),
              "camel.main.routes-include-pattern",
              SliceProcess.SLICE,
              // five retries 0.3 s apart: they run out within the stop, not before it
              "hub.retry.initial-delay-ms",
              "300",
              "hub.retry.max-delay-ms",
              "300");
      String[] event = Events.orderCreated();
      try (HubRunner hub = new HubRunner(properties)) {
        assertThat(
                Http.post(hub.url("/api/events"), "application/cloudevents+json", event[1])
                    .statusCode())
            .isEqualTo(202);
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> !shipping.callsFor(event[0]).isEmpty());
      }
      int callsWhileStopping = shipping.callsFor(event[0]).size();
      assertThat(shipping.acceptedFor(event[0])).isZero();
      assertThat(recordsIn(engines.brokers(), "orders.events.shipping.dlq"))
          .as("the stop dead-letters nothing")
          .isZero();

      shipping.answer(200);
      try (HubRunner restarted = new HubRunner(properties)) {
        await().atMost(Duration.ofSeconds(120)).until(() -> shipping.acceptedFor(event[0]) > 0);
      }
      assertThat(callsWhileStopping)
          .as("the first hub tried every retry before its stop cut the record")
          .isEqualTo(6);
      assertThat(recordsIn(engines.brokers(), "orders.events.shipping.dlq")).isZero();
    }
  }

  private record Outcome(
      int orders,
      int inFlight,
      int unfinished,
      List<String> finishedBeforeSigterm,
      List<String> repeatedKeys,
      int callsBeforeRestart,
      int exitCode,
      long stopMillis,
      long committed,
      long total,
      long distinct,
      int deadLetters,
      int readyWhileStopping) {}

  /** The status of /observe/health/ready, or -1 when nothing answers. */
  private static int readiness(int port) {
    try {
      return Http.get("http://127.0.0.1:" + port + "/observe/health/ready").statusCode();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * Sends the orders to a hub process whose shipping answers this slowly, SIGTERMs it while a call
   * is in flight, then lets a hub started again on the same engines deliver the rest.
   */
  private Outcome sigtermThenRestart(String name, int orders, Duration slow, int shutdownTimeout)
      throws Exception {
    try (PrivateEngines engines = new PrivateEngines(name);
        FakeService shipping = new FakeService()) {
      shipping.latency(slow);
      int port = TestEngines.freePort();
      File log = new File(System.getProperty("java.io.tmpdir"), "hub-" + name + "-it.log");
      Process hub =
          SliceProcess.start(
              engines,
              port,
              shipping.url("/shipping"),
              log,
              "camel.main.shutdown-timeout=" + shutdownTimeout);
      List<String> accepted = new ArrayList<>();
      long signalled;
      long exited;
      int inFlight;
      List<String> finishedBeforeSigterm;
      int receivedAtExit;
      AtomicInteger readyWhileStopping = new AtomicInteger();
      long readyDownMillis;
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
        // one delivered at least, and one call sent but not yet answered
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> !shipping.calls().isEmpty() && shipping.received() > shipping.calls().size());
        inFlight = shipping.received() - shipping.calls().size();
        finishedBeforeSigterm = keys(shipping.calls());
        signalled = System.nanoTime();
        hub.destroy(); // SIGTERM
        // readiness while it stops: 503 as soon as the stop begins (-1: no answer, it is gone)
        await()
            .atMost(Duration.ofSeconds(shutdownTimeout + 30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  readyWhileStopping.set(readiness(port));
                  return readyWhileStopping.get() != 200;
                });
        readyDownMillis = (System.nanoTime() - signalled) / 1_000_000;
        assertThat(hub.waitFor(shutdownTimeout + 30, TimeUnit.SECONDS))
            .as("the hub exits on SIGTERM")
            .isTrue();
        exited = System.nanoTime();
        receivedAtExit = shipping.received();
      } finally {
        if (hub.isAlive()) {
          hub.destroyForcibly().waitFor();
        }
      }
      // the calls in flight at the SIGTERM are answered (and counted) by now or soon
      await()
          .atMost(slow.plusSeconds(5))
          .until(() -> shipping.received() == shipping.calls().size());
      int callsBeforeRestart = shipping.calls().size();
      long committed = committedOffsets(engines.brokers(), "shipping");

      shipping.latency(Duration.ZERO);
      int deadLetters = 0;
      try (HubRunner restarted =
          new HubRunner(
              Map.of(
                  "hub.services.shipping.url",
                  shipping.url("/shipping"),
                  "camel.main.routes-include-pattern",
                  SliceProcess.SLICE))) {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> accepted.stream().allMatch(id -> shipping.acceptedFor(id) > 0));
        deadLetters = (int) recordsIn(engines.brokers(), "orders.events.shipping.dlq");
      }
      long total = shipping.calls().size();
      long distinct =
          shipping.calls().stream().map(FakeService.Call::idempotencyKey).distinct().count();
      List<String> all = keys(shipping.calls());
      List<String> repeatedKeys =
          all.stream().filter(key -> all.indexOf(key) != all.lastIndexOf(key)).distinct().toList();
      Outcome outcome =
          new Outcome(
              orders,
              inFlight,
              receivedAtExit - finishedBeforeSigterm.size(),
              finishedBeforeSigterm,
              repeatedKeys,
              callsBeforeRestart,
              hub.exitValue(),
              (exited - signalled) / 1_000_000,
              committed,
              total,
              distinct,
              deadLetters,
              readyWhileStopping.get());
      LOG.info(
          "{}: shipping answering in {} ms, shutdown timeout {} s. SIGTERM with {} call(s) in"
              + " flight after {} of {} deliveries; exit code {} after {} ms; {} calls made before"
              + " the restart, offsets committed for {} records; after the restart {} calls for {}"
              + " distinct Idempotency-Keys ({} orders), {} dead letters; readiness answered {} {} ms"
              + " after the SIGTERM",
          name,
          slow.toMillis(),
          shutdownTimeout,
          outcome.inFlight,
          callsBeforeRestart - outcome.inFlight,
          orders,
          outcome.exitCode,
          outcome.stopMillis,
          callsBeforeRestart,
          committed,
          total,
          distinct,
          orders,
          deadLetters,
          outcome.readyWhileStopping,
          readyDownMillis);
      return outcome;
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

  /** How many records the topic holds (its end offsets; nothing is deleted in a test). */
  private static long recordsIn(String brokers, String topic) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    try (Admin admin = Admin.create(props)) {
      if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        return 0;
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
          .sum();
    }
  }

  private static List<String> keys(List<FakeService.Call> calls) {
    return calls.stream().map(FakeService.Call::idempotencyKey).toList();
  }
}
