package io.eventhub.bench;

import io.eventhub.support.Events;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Intake in batch mode against single posts: the same events posted to /api/events one by one
 * (structured mode, 202 after the broker's ack) and in batches (application/cloudevents-batch+json,
 * one answer after the acks of the whole batch), from the same concurrent clients, intake routes
 * only. Run with {@code mvn -q test-compile exec:java@batch-bench} ({@code -Dbench.events=N
 * -Dbench.clients=C -Dbench.batch=B}); writes docs/benchmarks/batch.md.
 */
public final class BatchBenchmark {

  private static final String ROUTES =
      "file:routes/delivery-conventions.camel.yaml,file:routes/intake-events.camel.yaml,file:routes/intake-batch.camel.yaml";

  private BatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = Integer.getInteger("bench.events", 5000);
    int clients = Integer.getInteger("bench.clients", 4);
    int size = Integer.getInteger("bench.batch", 100);
    int batches = events / size;
    TestEngines.start();
    List<String> lines =
        Load.heading(
            "Batch benchmark: POST /api/events, single events against batches of " + size,
            events + " OrderCreated events, " + clients + " concurrent clients, intake routes only",
            "mvn -q test-compile exec:java@batch-bench");
    List<String> rates = new ArrayList<>();
    try (HubRunner hub = new HubRunner(Map.of("camel.main.routes-include-pattern", ROUTES))) {
      Load.run("warm-up", 300, clients, i -> single(hub, Events.orderCreated()[1]));
      Load.run("warm-up", 5, clients, i -> batch(hub, batchOf(size)));

      List<String> singles = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        singles.add(Events.orderCreated()[1]);
      }
      Load.Run one =
          Load.run(
              "single posts (structured mode)", events, clients, i -> single(hub, singles.get(i)));
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < batches; i++) {
        bodies.add(batchOf(size));
      }
      Load.Run many =
          Load.run(
              "batches of " + size + " (batch mode), per request",
              batches,
              clients,
              i -> batch(hub, bodies.get(i)));
      lines.add(one.row());
      lines.add(many.row());
      double singleRate = one.perSecond();
      double batchRate = many.perSecond() * size;
      rates.add(String.format(Locale.ROOT, "- single posts: **%.0f events/s**", singleRate));
      rates.add(
          String.format(
              Locale.ROOT,
              "- batches of %d: **%.0f events/s** (%.1f× the single posts)",
              size,
              batchRate,
              batchRate / singleRate));
      if (one.errors() + many.errors() > 0) {
        rates.add("- errors: " + (one.errors() + many.errors()) + " requests not answered 2xx");
      }
    }
    lines.add("");
    lines.add("Events accepted (202, on Kafka with acks=all):");
    lines.add("");
    lines.addAll(rates);
    lines.add("");
    lines.add(
        "A single post waits for its own broker ack and its own inbox insert; a batch is checked"
            + " whole, sent as one list (every record sent, then all acks awaited) and remembered"
            + " after, so the waits are shared by its events.");
    Load.report("batch.md", lines);
    System.exit(0);
  }

  private static String batchOf(int size) {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      body.append(i == 0 ? "" : ",").append(Events.orderCreated()[1]);
    }
    return body.append(']').toString();
  }

  private static HttpResponse<String> single(HubRunner hub, String event) {
    return Http.post(hub.url("/api/events"), "application/cloudevents+json", event);
  }

  private static HttpResponse<String> batch(HubRunner hub, String body) {
    return Http.post(hub.url("/api/events"), "application/cloudevents-batch+json", body);
  }
}
