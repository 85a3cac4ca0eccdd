package io.eventhub.bench;

import static org.awaitility.Awaitility.await;

import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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

  /** The hubs measured: a name, and the route files it runs (empty: all of them). */
  private static final String[][] VARIANTS = {
    {
      "slice alone",
      "file:routes/delivery-conventions.camel.yaml,file:routes/intake-events.camel.yaml,file:routes/intake-batch.camel.yaml,"
          + "file:routes/outside-services.camel.yaml,file:routes/consumer-templates.camel.yaml,"
          + "file:routes/shipping-on-order-created.camel.yaml"
    },
    {"whole hub", ""}
  };

  private SliceBenchmark() {}

  private static java.net.http.HttpResponse<String> postEvent(HubRunner hub, String event) {
    return Http.post(hub.url("/api/events"), "application/cloudevents+json", event);
  }

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

      lines.addAll(
          Load.heading(
              "Slice benchmark: OrderCreated → Kafka → shipping",
              events + " events, " + clients + " concurrent clients",
              "mvn -q test-compile exec:java@slice-bench"));
      lines.add(baseline.row());
      List<String> endToEnd = new ArrayList<>();
      for (String[] variant : VARIANTS) {
        Map<String, String> properties = new HashMap<>();
        String path = "/shipments-" + variant[0].replace(' ', '-');
        properties.put("hub.services.shipping.url", shipping.url(path));
        if (!variant[1].isEmpty()) {
          properties.put("camel.main.routes-include-pattern", variant[1]);
        }
        try (HubRunner hub = new HubRunner(properties)) {

          Load.run("warm-up", 200, clients, i -> postEvent(hub, Events.orderCreated()[1]));
          waitForDeliveries(shipping, path, 200);
          List<String> batch = new ArrayList<>();
          for (int i = 0; i < events; i++) {
            batch.add(Events.orderCreated()[1]);
          }
          long started = System.nanoTime();
          Load.Run intake =
              Load.run(
                  variant[0] + ": POST /api/events (202 after acks=all)",
                  events,
                  clients,
                  i -> postEvent(hub, batch.get(i)));
          waitForDeliveries(shipping, path, 200 + events);
          double seconds = (System.nanoTime() - started) / 1e9;
          lines.add(intake.row());
          endToEnd.add(
              String.format(
                  Locale.ROOT,
                  "- %s: %.1f s from the first POST to the last delivery at shipping, **%.0f"
                      + " events/s** delivered, each once.",
                  variant[0],
                  seconds,
                  events / seconds));
        }
      }
      lines.add("");
      lines.add("End to end:");
      lines.add("");
      lines.addAll(endToEnd);
      lines.add("");
      lines.add(
          "The slice alone runs only the intake, delivery and shipping routes; the whole hub also"
              + " runs inventory (a transacted reservation per order), the order saga and the profile"
              + " routes in the same JVM, on the same 2 cores, with the broker and PostgreSQL. Each"
              + " delivery is one record at a time on its partition: inbox look-up, HTTP POST, inbox"
              + " insert, then the offset; the shipping consumer group has one consumer.");
    }
    Load.report("slice.md", lines);
    System.exit(0);
  }

  private static void waitForDeliveries(FakeService shipping, String path, int expected) {
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> shipping.calls().stream().filter(c -> c.path().equals(path)).count() >= expected);
  }
}
