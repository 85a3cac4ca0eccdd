package io.eventhub.bench;

import static org.awaitility.Awaitility.await;

import io.eventhub.support.Events;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;

/**
 * End-to-end latency: from the 202 of {@code POST /api/events} to the call at shipping, the whole
 * hub running (SliceBenchmark's way: the hub in this JVM on the embedded engines of {@link
 * TestEngines}), OrderCreated events offered open-loop (sent on a schedule, whatever the answers).
 * First a ramp finds the maximum sustainable rate (the highest offered rate the hub delivered at
 * least 90 % of, with p99 within a second and every event delivered; halving the first rate until
 * one is, on a slow machine); then 25 %, 50 % and 75 % of it are offered, each reported with p50,
 * p99 and p99.9. Writes target/bench/latency.json; {@code mvn -q test-compile
 * exec:java@bench-latency} ({@code -Dbench.quick=true}: shorter steps).
 */
public final class LatencyBenchmark {

  private static final double SUSTAINED = 0.9;
  private static final double P99_LIMIT_MS = 1000;
  private static final double MIN_RATE = 2;

  private final HubRunner hub;
  private final ArrivalRecorder shipping;
  private final HttpClient http;
  private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(1);

  /** What one step at one offered rate measured. */
  record Step(
      double offered,
      double achieved,
      int sent,
      int accepted,
      int delivered,
      int early,
      double p50,
      double p99,
      double p999,
      double sentP50,
      double sentP99) {
    boolean sustained() {
      return delivered == sent && achieved >= SUSTAINED * offered && p99 <= P99_LIMIT_MS;
    }

    String line(String what) {
      return String.format(
          Locale.ROOT,
          "%s: offered %.0f/s, achieved %.1f/s, %d sent, %d accepted, %d delivered; p50 %.1f ms,"
              + " p99 %.1f ms, p99.9 %.1f ms (from the request's send: p50 %.1f ms, p99 %.1f ms)%s",
          what,
          offered,
          achieved,
          sent,
          accepted,
          delivered,
          p50,
          p99,
          p999,
          sentP50,
          sentP99,
          early > 0 ? " (" + early + " reached shipping before the client had its 202: 0 ms)" : "");
    }
  }

  private LatencyBenchmark(HubRunner hub, ArrivalRecorder shipping) {
    this.hub = hub;
    this.shipping = shipping;
    ExecutorService responses = Executors.newFixedThreadPool(4);
    this.http =
        HttpClient.newBuilder()
            .executor(responses)
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  public static void main(String[] args) throws Exception {
    boolean quick = BenchmarkFile.quick();
    double stepSeconds =
        Double.parseDouble(System.getProperty("bench.latency.step", quick ? "4" : "10"));
    double runSeconds =
        Double.parseDouble(System.getProperty("bench.latency.run", quick ? "8" : "30"));
    double start = Double.parseDouble(System.getProperty("bench.latency.start", "20"));
    double factor = quick ? 1.6 : 1.35;
    TestEngines.start();
    BenchmarkFile file =
        new BenchmarkFile(
            "latency",
            "End-to-end latency: intake 202 to the shipping call, whole hub running",
            "p50, p99 and p99.9 reported at 25 %, 50 % and 75 % of the maximum rate",
            null);
    try (ArrivalRecorder shipping = new ArrivalRecorder();
        HubRunner hub = new HubRunner(Map.of("hub.services.shipping.url", shipping.url("/ship")))) {
      LatencyBenchmark bench = new LatencyBenchmark(hub, shipping);
      // warm-up: the whole chain (intake, inventory's transaction, the saga, shipping) compiled by
      // the JIT before the ramp, which otherwise measures the hub's first minute
      double warmSeconds = quick ? 15 : 30;
      bench.step(20, warmSeconds, Duration.ofSeconds(120));
      List<Step> ramp = new ArrayList<>();
      double max = 0;
      double rate = start;
      while (ramp.size() < 14) {
        Step step = bench.step(rate, stepSeconds, Duration.ofSeconds(30));
        ramp.add(step);
        System.out.println(step.line("ramp"));
        if (step.sustained()) {
          max = rate;
          rate *= factor;
        } else if (max == 0 && rate / 2 >= MIN_RATE) {
          // a machine slower than the first step: halve until a rate is sustained, then climb
          rate /= 2;
        } else {
          break;
        }
      }
      if (max == 0) {
        max = MIN_RATE;
        file.note(
            "No ramp step was sustained, down to "
                + MIN_RATE
                + " events/s; the levels below are shares of that rate.");
      }
      List<Step> levels = new ArrayList<>();
      for (double share : new double[] {0.25, 0.5, 0.75}) {
        Step level = bench.step(share * max, runSeconds, Duration.ofSeconds(60));
        levels.add(level);
        System.out.println(level.line(Math.round(share * 100) + " %"));
      }
      Step half = levels.get(1);
      file.hub(
          "maximum sustainable rate; latencies at 50 % of it",
          max, "events/s", half.p50(), half.p99(), half.p999());
      int row = 0;
      boolean allDelivered = true;
      String[] names = {"25 %", "50 %", "75 %"};
      for (int i = 0; i < levels.size(); i++) {
        Step s = levels.get(i);
        String name =
            String.format(Locale.ROOT, "%s of the maximum (%.0f events/s)", names[i], s.offered());
        file.row(name + ": p50", s.p50(), null, null, null, "ms");
        file.row(name + ": p99", s.p99(), null, null, null, "ms");
        file.row(name + ": p99.9", s.p999(), null, null, null, "ms");
        allDelivered &= s.delivered() == s.sent();
        row += 3;
      }
      List<Step> curve = new ArrayList<>(ramp);
      curve.addAll(levels);
      curve.sort(Comparator.comparingDouble(Step::offered));
      for (Step s : curve) {
        file.point(s.offered(), s.achieved(), s.p99());
      }
      file.note(
          String.format(
              Locale.ROOT,
              "After a warm-up of 20 events/s for %.0f s, an open-loop ramp from %.0f events/s"
                  + " (halved while not sustained), x%.2f per %.0f s"
                  + " step, until a step was not sustained (achieved < %.0f %% of offered, p99 > %.0f ms, or an event not"
                  + " delivered within 30 s); maximum sustainable: %.0f events/s. Each level then"
                  + " ran %.0f s.",
              warmSeconds,
              start,
              factor,
              stepSeconds,
              SUSTAINED * 100,
              P99_LIMIT_MS,
              max,
              runSeconds));
      for (Step s : ramp) {
        file.note(s.line("ramp"));
      }
      for (int i = 0; i < levels.size(); i++) {
        file.note(levels.get(i).line(names[i] + " of the maximum"));
      }
      file.note(
          "Latency: from the moment the client had its 202 to the moment the stand-in shipping"
              + " service (in the benchmark's JVM) received the call, matched by the event id in"
              + " the Idempotency-Key (a call that arrived before the client had handled its 202"
              + " counts as 0 ms; the latency from the request's send, an upper bound, is in each"
              + " line); achieved: events delivered per second from the first send"
              + " to the last delivery of the step. The hub runs every route (inventory and the"
              + " order saga consume the same orders) in the benchmark's JVM, with the broker;"
              + " PostgreSQL runs as processes of its own.");
      file.note("Load average when done: " + StartupBenchmark.loadAverage() + " (shared machine).");
      file.met(allDelivered && row == 9);
    }
    file.write();
    System.exit(0);
  }

  /** Offers {@code rate} events/s for {@code seconds}, waits for their deliveries, measures. */
  private Step step(double rate, double seconds, Duration drain) {
    int count = Math.max(1, (int) Math.round(rate * seconds));
    List<String> ids = new ArrayList<>(count);
    List<String> bodies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String[] event = Events.orderCreated();
      ids.add(event[0]);
      bodies.add(event[1]);
    }
    Map<String, Long> accepted = new ConcurrentHashMap<>();
    Map<String, Long> sent = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    long periodNanos = (long) (1e9 / rate);
    long started = System.nanoTime();
    ScheduledFuture<?> sender =
        clock.scheduleAtFixedRate(
            () -> {
              int i = next.getAndIncrement();
              if (i >= count) {
                return;
              }
              String id = ids.get(i);
              sent.put(id, System.nanoTime());
              http.sendAsync(post(bodies.get(i)), HttpResponse.BodyHandlers.discarding())
                  .whenComplete(
                      (response, error) -> {
                        if (error == null && response.statusCode() == 202) {
                          accepted.put(id, System.nanoTime());
                        }
                        answered.incrementAndGet();
                      });
            },
            0,
            periodNanos,
            TimeUnit.NANOSECONDS);
    try {
      await()
          .atMost(Duration.ofSeconds((long) seconds).plus(drain))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  answered.get() >= count
                      && ids.stream().allMatch(id -> shipping.arrival(id) != null));
    } catch (ConditionTimeoutException notAll) {
      // measured as it is: the events not delivered make the step unsustained
    }
    sender.cancel(false);
    List<Double> latencies = new ArrayList<>();
    List<Double> fromSend = new ArrayList<>();
    long last = started;
    int delivered = 0;
    int early = 0;
    for (String id : ids) {
      Long arrival = shipping.arrival(id);
      if (arrival == null) {
        continue;
      }
      delivered++;
      last = Math.max(last, arrival);
      Long sentAt = sent.get(id);
      if (sentAt != null) {
        fromSend.add((arrival - sentAt) / 1e6);
      }
      Long ok = accepted.get(id);
      if (ok != null) {
        if (arrival < ok) {
          early++;
        }
        latencies.add(Math.max(0, arrival - ok) / 1e6);
      }
    }
    latencies.sort(null);
    fromSend.sort(null);
    double elapsed = (last - started) / 1e9;
    return new Step(
        rate,
        elapsed > 0 ? delivered / Math.max(elapsed, seconds) : 0,
        count,
        accepted.size(),
        delivered,
        early,
        percentile(latencies, 0.50),
        percentile(latencies, 0.99),
        percentile(latencies, 0.999),
        percentile(fromSend, 0.50),
        percentile(fromSend, 0.99));
  }

  private HttpRequest post(String body) {
    return HttpRequest.newBuilder(URI.create(hub.url("/api/events")))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + Http.TEST_TOKEN)
        .header("Content-Type", "application/cloudevents+json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
