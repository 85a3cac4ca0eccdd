package io.eventhub.bench;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** A bounded load run: a number of requests from concurrent clients, timed one by one. */
final class Load {

  /** What one load run measured. */
  record Run(
      String name,
      int requests,
      double seconds,
      long p50Micros,
      long p99Micros,
      int errors,
      long p999Micros) {
    double perSecond() {
      return requests / seconds;
    }

    String row() {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %.0f | %.2f | %.2f | %d |",
          name,
          requests,
          perSecond(),
          p50Micros / 1000.0,
          p99Micros / 1000.0,
          errors);
    }
  }

  static final String TABLE_HEADER =
      "| run | requests | req/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|";

  private Load() {}

  static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " cores, Java "
        + System.getProperty("java.version")
        + ", embedded Kafka and PostgreSQL in the same JVM as the hub";
  }

  /** The start of a report: title, date, machine, the load and the command, the table header. */
  static java.util.List<String> heading(String title, String load, String command) {
    return new java.util.ArrayList<>(
        java.util.List.of(
            "# " + title,
            "",
            "Date "
                + java.time.LocalDate.now()
                + ", "
                + machine()
                + ", "
                + load
                + ". Command: `"
                + command
                + "`.",
            "",
            TABLE_HEADER));
  }

  /** Writes a report to docs/benchmarks/ and prints it. */
  static void report(String fileName, java.util.List<String> lines) throws java.io.IOException {
    java.nio.file.Path out = java.nio.file.Path.of("docs/benchmarks", fileName);
    java.nio.file.Files.createDirectories(out.getParent());
    java.nio.file.Files.write(out, lines);
    lines.forEach(System.out::println);
  }

  static Run run(String name, int requests, int clients, IntFunction<HttpResponse<String>> call)
      throws Exception {
    System.out.printf(Locale.ROOT, "-> %s: %d requests, %d clients%n", name, requests, clients);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<Future<Integer>> results = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      int index = i;
      results.add(
          pool.submit(
              () -> {
                long t0 = System.nanoTime();
                int status = call.apply(index).statusCode();
                latencies.add((System.nanoTime() - t0) / 1000);
                return status;
              }));
    }
    int errors = 0;
    for (Future<Integer> result : results) {
      if (result.get() / 100 != 2) {
        errors++;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new Run(
        name,
        requests,
        seconds,
        sorted.get(sorted.size() / 2),
        sorted.get((int) Math.floor(sorted.size() * 0.99)),
        errors,
        sorted.get((int) Math.floor(sorted.size() * 0.999)));
  }

  /** What an open-loop run at a fixed offered rate measured. */
  record Paced(double offered, double achieved, long p50Micros, long p99Micros, int errors) {}

  /**
   * An open-loop run: requests started at a fixed rate for the given time, whatever the answers
   * take, on up to {@code threads} client threads. Each latency counts from the moment its request
   * was due, so a server that falls behind shows it in the percentiles (no coordinated omission).
   */
  static Paced paced(
      double rate, double seconds, int threads, IntFunction<HttpResponse<String>> call)
      throws Exception {
    int requests = Math.max(1, (int) Math.round(rate * seconds));
    long interval = (long) (1e9 / rate);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicLong lastDone = new java.util.concurrent.atomic.AtomicLong();
    List<Future<Integer>> results = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      long due = started + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      int index = i;
      results.add(
          pool.submit(
              () -> {
                int status = call.apply(index).statusCode();
                long done = System.nanoTime();
                latencies.add((done - due) / 1000);
                lastDone.accumulateAndGet(done, Math::max);
                return status;
              }));
    }
    int errors = 0;
    for (Future<Integer> result : results) {
      if (result.get() / 100 != 2) {
        errors++;
      }
    }
    pool.shutdown();
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    double elapsed = (lastDone.get() - started) / 1e9;
    return new Paced(
        rate,
        requests / elapsed,
        sorted.get(sorted.size() / 2),
        sorted.get((int) Math.floor(sorted.size() * 0.99)),
        errors);
  }
}
