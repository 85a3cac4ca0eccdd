package io.eventhub.bench;

import io.eventhub.support.Events;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Footprint: the resident memory of a hub process (dev profile, embedded engines) while clients
 * post OrderCreated events to /api/events for 120 s (30 s with {@code -Dbench.quick=true}), once
 * with the JVM's default options and once with the options the README recommends ({@link
 * #RECOMMENDED}). VmRSS is sampled every second from /proc/<pid>/status, VmHWM (the peak) read at
 * the end; the embedded Kafka broker runs in the hub's JVM and so is in its RSS, the embedded
 * PostgreSQL runs as child processes, measured apart (their Pss). Writes
 * target/bench/footprint.json; {@code mvn -q test-compile exec:java@bench-footprint}.
 */
public final class FootprintBenchmark {

  static final long GOAL_MB = 600;

  /** The JVM options the README recommends for the hub (heap capped: the default is 1/4 of RAM). */
  static final List<String> RECOMMENDED =
      Arrays.asList(
          System.getProperty(
                  "bench.footprint.options",
                  "-Xms64m -Xmx256m -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m"
                      + " -XX:+UseSerialGC -Xss512k")
              .split(" "));

  private FootprintBenchmark() {}

  record Result(
      String label, long peakRss, long hwm, long postgresPss, long requests, long errors) {}

  public static void main(String[] args) throws Exception {
    int seconds = Integer.getInteger("bench.footprint.seconds", BenchmarkFile.quick() ? 30 : 120);
    int clients = Integer.getInteger("bench.clients", 8);
    Path root =
        Path.of(
            System.getProperty("java.io.tmpdir"), "bench-footprint-" + System.currentTimeMillis());
    List<Result> results = new ArrayList<>();
    try {
      results.add(run("default JVM options", List.of(), root.resolve("default"), seconds, clients));
      results.add(
          run(
              "recommended: " + String.join(" ", RECOMMENDED),
              RECOMMENDED,
              root.resolve("recommended"),
              seconds,
              clients));
    } finally {
      StartupBenchmark.deleteTree(root);
    }
    Result recommended = results.get(1);
    BenchmarkFile file =
        new BenchmarkFile(
                "footprint",
                "Footprint: resident memory of the hub process under intake load",
                "resident memory under load <= 600 MB",
                null)
            .hub(
                "peak VmRSS, recommended JVM options",
                (double) recommended.hwm(),
                "MB",
                null,
                null,
                null);
    int row = 0;
    for (Result r : results) {
      file.row("VmHWM (peak RSS), " + r.label(), (double) r.hwm(), null, null, null, "MB")
          .met(row++, r.hwm() <= GOAL_MB);
      file.row(
          "embedded PostgreSQL processes (Pss, not in the hub's RSS), " + r.label(),
          (double) r.postgresPss(),
          null,
          null,
          null,
          "MB");
      row++;
      file.note(
          String.format(
              Locale.ROOT,
              "%s: VmRSS sampled peak %d MB, VmHWM %d MB, PostgreSQL %d MB Pss; %d requests in %d s"
                  + " from %d clients (%.0f req/s), %d not 202.",
              r.label(),
              r.peakRss(),
              r.hwm(),
              r.postgresPss(),
              r.requests(),
              seconds,
              clients,
              r.requests() / (double) seconds,
              r.errors()));
    }
    file.note(
        "The hub's RSS includes the embedded Kafka broker (in the hub's JVM); the embedded"
            + " PostgreSQL runs as processes of its own and is listed apart.");
    file.note("Load average when done: " + StartupBenchmark.loadAverage() + " (shared machine).");
    file.met(recommended.hwm() <= GOAL_MB).write();
    System.exit(0);
  }

  private static Result run(
      String label, List<String> jvmOptions, Path data, int seconds, int clients) throws Exception {
    try (HubProcess hub = new HubProcess(data, jvmOptions, Map.of())) {
      hub.awaitReady(Duration.ofMinutes(3));
      AtomicLong peak = new AtomicLong();
      AtomicLong postgres = new AtomicLong();
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      sampler.scheduleAtFixedRate(
          () -> {
            try {
              peak.accumulateAndGet(hub.memoryMb()[0], Math::max);
              postgres.accumulateAndGet(hub.postgresPssMb(), Math::max);
            } catch (Exception gone) {
              // the process ended
            }
          },
          0,
          1,
          TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong requests = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      for (int c = 0; c < clients; c++) {
        pool.submit(
            () -> {
              while (running.get()) {
                HttpRequest post =
                    HttpRequest.newBuilder(URI.create(hub.url("/api/events")))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer dev-token")
                        .header("Content-Type", "application/cloudevents+json")
                        .POST(HttpRequest.BodyPublishers.ofString(Events.orderCreated()[1]))
                        .build();
                try {
                  int status = http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
                  requests.incrementAndGet();
                  if (status != 202) {
                    errors.incrementAndGet();
                  }
                } catch (Exception e) {
                  errors.incrementAndGet();
                }
              }
              return null;
            });
      }
      pool.shutdown();
      boolean ended = pool.awaitTermination(seconds, TimeUnit.SECONDS);
      running.set(false);
      pool.awaitTermination(60, TimeUnit.SECONDS);
      long[] memory = hub.memoryMb();
      sampler.shutdownNow();
      peak.accumulateAndGet(memory[0], Math::max);
      Result result =
          new Result(label, peak.get(), memory[1], postgres.get(), requests.get(), errors.get());
      System.out.println(result + (ended ? " (clients ended early)" : ""));
      return result;
    }
  }
}
