package io.eventhub.bench;

import io.eventhub.support.Events;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Where intake's time goes, for profiling its levers: the plain endpoint, {@code POST /api/events}
 * and variants of intake's steps on the same hub (the checks alone; the checks and the inbox; the
 * checks and the Kafka send, asynchronous, synchronous or with {@code lingerMs=2}; all of them with
 * a synchronous send); a variant ending in " fsync" runs with an fsync of the broker's log per
 * record (the topic's {@code flush.messages}). Alternated round by round in one run, with the CPU
 * time per request of this process and of PostgreSQL's. Run with {@code mvn -q test-compile
 * exec:java@intake-levers} ({@code -Dbench.variants=plain,/api/events,... -Dbench.requests=N
 * -Dbench.rounds=R -Dbench.clients=C}).
 */
public final class IntakeLevers {

  public static void main(String[] args) throws Exception {
    int requests = Integer.getInteger("bench.requests", 600);
    int clients = Integer.getInteger("bench.clients", 8);
    int rounds = Integer.getInteger("bench.rounds", 3);
    TestEngines.start();
    try (HubRunner hub =
        new HubRunner(
            Map.of("camel.main.routes-include-pattern", IntakeThroughputBenchmark.INTAKE_ROUTES))) {
      IntakeThroughputBenchmark.addPlainEndpoint(hub.context());
      hub.context()
          .addRoutes(
              new RouteBuilder() {
                @Override
                public void configure() {
                  check(from("platform-http:/api/bench/check"));
                  check(from("platform-http:/api/bench/kafka")).to("kafka:intake");
                  check(from("platform-http:/api/bench/kafka-sync"))
                      .to("kafka:intake?synchronous=true");
                  inbox(
                      check(from("platform-http:/api/bench/full-sync")),
                      "kafka:intake?synchronous=true");
                  inbox(check(from("platform-http:/api/bench/inbox")), "log:inbox?level=OFF");
                  check(from("platform-http:/api/bench/kafka-linger"))
                      .to("kafka:intake?synchronous=true&lingerMs=2");
                }

                RouteDefinition check(RouteDefinition route) {
                  return route
                      .bean("apiAccess", "rememberCaller")
                      .bean("cloudEvents", "toKafkaRecord")
                      .bean("apiAccess", "checkPublish")
                      .setProperty(
                          "eventKey",
                          method("eventTypes", "key(${header.ce_source}, ${header.ce_id})"));
                }

                void inbox(RouteDefinition route, String kafka) {
                  route
                      .idempotentConsumer(exchangeProperty("eventKey"))
                      .idempotentRepository("intakeInbox")
                      .eager(false)
                      .to(kafka)
                      .end();
                }
              });
      String brokers = System.getProperty("camel.component.kafka.brokers");
      Properties props = new Properties();
      props.put("bootstrap.servers", brokers);
      Map<String, List<double[]>> results = new LinkedHashMap<>();
      List<String> variants =
          List.of(
              System.getProperty(
                      "bench.variants",
                      "plain,/api/events,/api/events fsync,/api/bench/check,/api/bench/inbox,"
                          + "/api/bench/kafka,/api/bench/kafka fsync,/api/bench/kafka-sync,"
                          + "/api/bench/kafka-linger,/api/bench/full-sync")
                  .split(","));
      try (Admin admin = Admin.create(props)) {
        for (String v : variants) {
          Load.run("warm", 200, clients, i -> call(hub, v.split(" ")[0]));
        }
        for (int round = 0; round < rounds; round++) {
          for (String v : variants) {
            flush(admin, v.endsWith(" fsync") ? "1" : "9223372036854775807");
            long cpu0 = cpu();
            long pg0 = postgresCpuTicks();
            Load.Run run = Load.run(v, requests, clients, i -> call(hub, v.split(" ")[0]));
            double cpuMs = (cpu() - cpu0) / 1e6 / requests;
            double pgMs = (postgresCpuTicks() - pg0) * 10.0 / requests;
            results
                .computeIfAbsent(v, k -> new ArrayList<>())
                .add(new double[] {run.perSecond(), run.p50Micros() / 1000.0, cpuMs, run.errors()});
            System.out.printf(
                "%-28s %6.0f req/s p50 %6.1f ms p99 %6.1f cpu %.2f ms/req postgres %.2f ms/req"
                    + " errors %d%n",
                v,
                run.perSecond(),
                run.p50Micros() / 1000.0,
                run.p99Micros() / 1000.0,
                cpuMs,
                pgMs,
                run.errors());
          }
        }
        flush(admin, null);
      }
      System.out.println("== medians");
      results.forEach(
          (v, rs) -> {
            double[] rate = rs.stream().mapToDouble(r -> r[0]).sorted().toArray();
            double[] p50 = rs.stream().mapToDouble(r -> r[1]).sorted().toArray();
            double[] cpu = rs.stream().mapToDouble(r -> r[2]).sorted().toArray();
            System.out.printf(
                "%-28s %6.0f req/s p50 %6.1f ms cpu %.2f ms/req%n",
                v, rate[rate.length / 2], p50[p50.length / 2], cpu[cpu.length / 2]);
          });
    }
    System.exit(0);
  }

  static void flush(Admin admin, String value) throws Exception {
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "orders.events");
    AlterConfigOp op =
        value == null
            ? new AlterConfigOp(new ConfigEntry("flush.messages", ""), AlterConfigOp.OpType.DELETE)
            : new AlterConfigOp(new ConfigEntry("flush.messages", value), AlterConfigOp.OpType.SET);
    admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
  }

  /** CPU ticks (1/100 s) of the PostgreSQL processes, which run outside this JVM. */
  static long postgresCpuTicks() {
    long ticks = 0;
    java.io.File[] procs = new java.io.File("/proc").listFiles((d, n) -> n.matches("\\d+"));
    for (java.io.File proc : procs == null ? new java.io.File[0] : procs) {
      try {
        String stat = java.nio.file.Files.readString(proc.toPath().resolve("stat"));
        if (!stat.contains("(postgres)")) {
          continue;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (java.io.IOException | RuntimeException e) {
        // a process that ended meanwhile
      }
    }
    return ticks;
  }

  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static java.net.http.HttpResponse<String> call(HubRunner hub, String path) {
    if (path.equals("plain")) {
      return IntakeThroughputBenchmark.plain(hub);
    }
    return Http.post(hub.url(path), "application/cloudevents+json", Events.orderCreated()[1]);
  }
}
