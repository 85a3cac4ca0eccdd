package io.eventhub.bench;

import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Intake against a plain endpoint on the same server: OrderCreated events posted to {@code POST
 * /api/events} (checked, published with acks=all, remembered; 202 after the broker's ack) and the
 * same bodies posted to a platform-http route of the same hub that answers 202 at once, from the
 * same concurrent clients, alternately. Run with {@code mvn -q test-compile exec:java@bench-intake}
 * ({@code -Dbench.quick=true} for a short run, {@code -Dbench.clients=C}); writes {@code
 * target/bench/intake.json}.
 */
public final class IntakeThroughputBenchmark {

  /** The intake routes alone: what is measured is intake, not the consumers behind it. */
  static final String INTAKE_ROUTES =
      "file:routes/delivery-conventions.camel.yaml,file:routes/intake-events.camel.yaml,file:routes/intake-batch.camel.yaml";

  static final String PLAIN = "/bench/plain";

  private IntakeThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean quick = BenchmarkFile.quick();
    int clients = Integer.getInteger("bench.clients", 8);
    int many = Integer.getInteger("bench.many-clients", 32);
    int requests = Integer.getInteger("bench.requests", quick ? 1000 : 4000);
    int rounds = quick ? 1 : 2;
    TestEngines.start();
    BenchmarkFile report =
        new BenchmarkFile(
            "intake",
            "Intake: POST /api/events, 202 after acks=all",
            ">= 0.5x a plain endpoint on the same server",
            0.5);
    try (FakeService shipping = new FakeService()) {
      Map<String, String> properties = new HashMap<>();
      properties.put("camel.main.routes-include-pattern", INTAKE_ROUTES);
      properties.put("hub.services.shipping.url", shipping.url("/shipping"));
      asBefore(properties, report);
      try (HubRunner hub = new HubRunner(properties)) {
        addPlainEndpoint(hub.context());
        Load.run("warm-up", 500, clients, i -> plain(hub));
        Load.run("warm-up", 500, clients, i -> intake(hub, Events.orderCreated()[1]));
        Jit jit = new Jit();
        Load.Run[] best = compare(hub, requests, clients, rounds);
        report.note("JIT over the " + clients + "-client rounds: " + jit.lap());
        report
            .hub(
                "hub: POST /api/events, " + clients + " clients",
                best[1].perSecond(),
                "req/s",
                best[1])
            .baseline(
                "plain platform-http endpoint on the same server, " + clients + " clients",
                best[0].perSecond(),
                "req/s",
                best[0])
            .compare();
        report.row(
            clients + " clients, intake routes only",
            best[1].perSecond(),
            best[0].perSecond(),
            0.5,
            "req/s");
        jit.lap();
        Load.Run[] crowd = compare(hub, requests, many, 1);
        report.note("JIT over the " + many + "-client round: " + jit.lap());
        report.row(
            many + " clients, intake routes only",
            crowd[1].perSecond(),
            crowd[0].perSecond(),
            0.5,
            "req/s");
        note(report, "p99 at " + many + " clients", crowd);
      }
      if (!quick) {
        // the same comparison while every consumer of the hub runs in the same JVM
        properties.remove("camel.main.routes-include-pattern");
        try (HubRunner hub = new HubRunner(properties)) {
          addPlainEndpoint(hub.context());
          Load.run("warm-up", 500, clients, i -> plain(hub));
          Load.run("warm-up", 500, clients, i -> intake(hub, Events.orderCreated()[1]));
          Load.Run[] whole = compare(hub, requests, clients, 1);
          report.row(
              clients + " clients, whole hub running (its consumers take the events)",
              whole[1].perSecond(),
              whole[0].perSecond(),
              0.5,
              "req/s");
          note(report, "p99, whole hub, " + clients + " clients", whole);
        }
      }
    }
    report.note(
        "Each run: "
            + requests
            + " requests from each client count, closed loop (a client sends its next request"
            + " when it has the answer); the plain endpoint and intake alternate, "
            + rounds
            + " round(s), the best run of each kept. The plain endpoint is a platform-http route"
            + " of the same hub (same Vert.x server, port, door handler and Camel runtime) that"
            + " answers 202 {\"id\"} without reading the event.");
    report.note(
        "The hub runs in the benchmark's JVM with the embedded Kafka broker and PostgreSQL, on "
            + Load.machine()
            + ". A shared, loaded machine makes every figure 3-5x slower than idle; the ratio"
            + " is measured side by side in one run.");
    report.write();
    System.exit(0);
  }

  /** Alternate rounds of the plain endpoint and intake; the best of each: [plain, intake]. */
  static Load.Run[] compare(HubRunner hub, int requests, int clients, int rounds) throws Exception {
    Load.Run plainBest = null;
    Load.Run intakeBest = null;
    for (int round = 0; round < rounds; round++) {
      Load.Run plain = Load.run("plain", requests, clients, i -> plain(hub));
      List<String> events = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        events.add(Events.orderCreated()[1]);
      }
      Load.Run intake = Load.run("intake", requests, clients, i -> intake(hub, events.get(i)));
      System.out.println(plain.row());
      System.out.println(intake.row());
      if (plain.errors() > 0 || intake.errors() > 0) {
        throw new IllegalStateException("errors in the run: " + plain + " " + intake);
      }
      plainBest =
          plainBest == null || plain.perSecond() > plainBest.perSecond() ? plain : plainBest;
      intakeBest =
          intakeBest == null || intake.perSecond() > intakeBest.perSecond() ? intake : intakeBest;
    }
    return new Load.Run[] {plainBest, intakeBest};
  }

  private static void note(BenchmarkFile report, String what, Load.Run[] runs) {
    report.note(
        String.format(
            java.util.Locale.ROOT,
            "%s: intake %.1f ms (p50 %.1f ms), plain endpoint %.1f ms (p50 %.1f ms)",
            what,
            runs[1].p99Micros() / 1000.0,
            runs[1].p50Micros() / 1000.0,
            runs[0].p99Micros() / 1000.0,
            runs[0].p50Micros() / 1000.0));
  }

  /**
   * With {@code -Dbench.before=true}, the settings intake had before its fast path, for a before
   * and after figure: an fsync of the broker's log per record, and the inbox of accepted events
   * waiting for PostgreSQL's WAL flush.
   */
  static void asBefore(Map<String, String> properties, BenchmarkFile report) throws Exception {
    if (!Boolean.getBoolean("bench.before")) {
      return;
    }
    java.util.Properties admin = new java.util.Properties();
    admin.put("bootstrap.servers", TestEngines.brokers());
    try (org.apache.kafka.clients.admin.Admin kafka =
        org.apache.kafka.clients.admin.Admin.create(admin)) {
      org.apache.kafka.common.config.ConfigResource cluster =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.BROKER, "");
      kafka
          .incrementalAlterConfigs(
              Map.of(
                  cluster,
                  List.of(
                      new org.apache.kafka.clients.admin.AlterConfigOp(
                          new org.apache.kafka.clients.admin.ConfigEntry(
                              "log.flush.interval.messages", "1"),
                          org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }
    report.note(
        "BEFORE the fast path (-Dbench.before=true): the broker fsyncs its log per record"
            + " (log.flush.interval.messages=1).");
  }

  static final String SAMPLE = Events.orderCreated()[1];

  static HttpResponse<String> plain(HubRunner hub) {
    return Http.post(hub.url(PLAIN), "application/cloudevents+json", SAMPLE);
  }

  static HttpResponse<String> intake(HubRunner hub, String event) {
    return Http.post(hub.url("/api/events"), "application/cloudevents+json", event);
  }

  /** A platform-http route on the hub's own server that answers 202 at once. */
  static void addPlainEndpoint(CamelContext context) throws Exception {
    context.addRoutes(
        new RouteBuilder() {
          @Override
          public void configure() {
            from("platform-http:" + PLAIN + "?httpMethodRestrict=POST")
                .routeId("bench-plain-endpoint")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(constant("{\"id\": \"plain\"}"));
          }
        });
  }
}
