package io.eventhub.bench;

import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first slice under load: events posted to /api/events by concurrent clients and delivered to a
 * shipping stand-in, against a baseline of the same clients posting straight to the stand-in. Run
 * with {@code mvn -q test-compile exec:java@slice-bench} ({@code -Dbench.events=N
 * -Dbench.clients=C}); writes docs/benchmarks/slice.md.
 */
public final class SliceBenchmark {

  private SliceBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = Integer.getInteger("bench.events", 2000);
    int clients = Integer.getInteger("bench.clients", 8);
    TestEngines.start();
    List<String> lines = new ArrayList<>();
    try (FakeService shipping = new FakeService()) {
      String[] warm = Events.orderCreated();
      Load.run(
          "warm-up",
          200,
          clients,
          i -> Http.post(shipping.url("/warm"), "application/json", warm[1]));
      Load.Run baseline =
          Load.run(
              "baseline: POST straight to the stand-in",
              events,
              clients,
              i -> Http.post(shipping.url("/direct"), "application/cloudevents+json", warm[1]));

      try (HubRunner hub =
          new HubRunner(
              Map.of(
                  "hub.services.shipping.url",
                  shipping.url("/shipments"),
                  "hub.kafka.partitions",
                  "6"))) {
        Load.run(
            "warm-up",
            200,
            clients,
            i ->
                Http.post(
                    hub.url("/api/events"),
                    "application/cloudevents+json",
                    Events.orderCreated()[1]));
        waitForDeliveries(shipping, "/shipments", 200);
        List<String[]> batch = new ArrayList<>();
        for (int i = 0; i < events; i++) {
          batch.add(Events.orderCreated());
        }
        long started = System.nanoTime();
        Load.Run intake =
            Load.run(
                "hub intake: POST /api/events (202 after acks=all)",
                events,
                clients,
                i ->
                    Http.post(
                        hub.url("/api/events"), "application/cloudevents+json", batch.get(i)[1]));
        waitForDeliveries(shipping, "/shipments", 200 + events);
        double endToEnd = (System.nanoTime() - started) / 1e9;

        lines.add("# Slice benchmark: OrderCreated → Kafka → shipping");
        lines.add("");
        lines.add(
            "Date "
                + LocalDate.now()
                + ", "
                + Load.machine()
                + ", "
                + events
                + " events, "
                + clients
                + " concurrent clients. Command: `mvn -q test-compile exec:java@slice-bench`.");
        lines.add("");
        lines.add(Load.TABLE_HEADER);
        lines.add(baseline.row());
        lines.add(intake.row());
        lines.add("");
        lines.add(
            String.format(
                Locale.ROOT,
                "End to end (first POST to the last delivery at shipping, every event delivered once): "
                    + "%.1f s, **%.0f events/s** delivered.",
                endToEnd,
                events / endToEnd));
        lines.add("");
        lines.add(
            "Each delivery is one record at a time on its partition: inbox look-up, HTTP POST,"
                + " inbox insert, then the offset; the shipping consumer group has one consumer.");
      }
    }
    Load.report("slice.md", lines);
    System.exit(0);
  }

  private static void waitForDeliveries(FakeService shipping, String path, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (shipping.calls().stream().filter(c -> c.path().equals(path)).count() < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("deliveries did not arrive in 5 minutes");
      }
      Thread.sleep(50);
    }
  }
}
