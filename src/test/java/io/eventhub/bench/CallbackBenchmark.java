package io.eventhub.bench;

import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.Signatures;
import io.eventhub.support.TestEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The payment callback endpoint under load: signed callbacks (each a new gateway event) from
 * concurrent clients, against two baselines in the same run: a plain HTTP server answering at once,
 * and the hub's unsigned event intake (same publish path without verification). Run with {@code mvn
 * -q test-compile exec:java@callback-bench} ({@code -Dbench.requests=N -Dbench.clients=C}); writes
 * docs/benchmarks/callbacks.md.
 */
public final class CallbackBenchmark {

  static final String SECRET = "whsec_YmVuY2gtc2VjcmV0";

  private CallbackBenchmark() {}

  public static void main(String[] args) throws Exception {
    int requests = Integer.getInteger("bench.requests", 2000);
    int clients = Integer.getInteger("bench.clients", 8);
    TestEngines.start();
    List<String> lines = new ArrayList<>();
    try (FakeService plain = new FakeService();
        HubRunner hub =
            new HubRunner(
                Map.of(
                    "hub.callbacks.payments.secret", SECRET,
                    "hub.services.shipping.url", plain.url("/shipping"),
                    "hub.services.payments.url", plain.url("/payments")))) {
      String sample = Events.orderCreated()[1];
      Load.run(
          "warm-up", 200, clients, i -> Http.post(plain.url("/warm"), "application/json", sample));
      Load.run("warm-up", 200, clients, i -> signedCallback(hub));
      Load.Run baseline =
          Load.run(
              "baseline: plain HTTP server, no work",
              requests,
              clients,
              i -> Http.post(plain.url("/direct"), "application/json", sample));
      List<String> events = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        events.add(Events.orderCreated()[1]);
      }
      Load.Run intake =
          Load.run(
              "baseline: POST /api/events (publish, no signature)",
              requests,
              clients,
              i ->
                  Http.post(hub.url("/api/events"), "application/cloudevents+json", events.get(i)));
      Load.Run callbacks =
          Load.run(
              "POST /callbacks/payments (verify, record, publish)",
              requests,
              clients,
              i -> signedCallback(hub));
      Load.Run replays =
          Load.run(
              "POST /callbacks/payments, the same callback again (duplicates)",
              requests,
              clients,
              i -> replayedCallback(hub));

      lines.addAll(
          Load.heading(
              "Payment callback benchmark",
              requests
                  + " requests per run, "
                  + clients
                  + " concurrent clients, Stripe-signed bodies of ~200 bytes",
              "mvn -q test-compile exec:java@callback-bench"));
      for (Load.Run run : List.of(baseline, intake, callbacks, replays)) {
        lines.add(run.row());
      }
      lines.add("");
      lines.add(
          "A callback is answered only after its event is on Kafka (acks=all) and its id is in"
              + " the inbox; a gateway waits 15-30 s, so the p99 above is the margin.");
    }
    Load.report("callbacks.md", lines);
    System.exit(0);
  }

  private static final String REPLAYED = body("gw-bench-replayed");

  /** A newly signed callback of a payment the gateway has not reported before. */
  static java.net.http.HttpResponse<String> signedCallback(HubRunner hub) {
    return post(hub, body("gw-bench-" + UUID.randomUUID()));
  }

  /** The same signed callback every time: the hub answers it as a duplicate. */
  static java.net.http.HttpResponse<String> replayedCallback(HubRunner hub) {
    return post(hub, REPLAYED);
  }

  private static java.net.http.HttpResponse<String> post(HubRunner hub, String body) {
    return Http.post(
        hub.url("/callbacks/payments"),
        "application/json",
        body,
        Signatures.stripeHeaderNow(SECRET, body));
  }

  /** A payment.succeeded callback body of this gateway event id. */
  static String body(String id) {
    return "{\"id\":\""
        + id
        + "\",\"type\":\"payment.succeeded\",\"data\":{\"paymentId\":\"pay-"
        + id
        + "\",\"orderId\":\"order-"
        + id
        + "\",\"amount\":{\"value\":42.5,\"currency\":\"EUR\"}}}";
  }
}
