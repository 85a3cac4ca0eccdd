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
      String name, int requests, double seconds, long p50Micros, long p99Micros, int errors) {
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
        errors);
  }
}
