package io.eventhub.bench;

import io.eventhub.support.FileSamples;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;

/**
 * Uploads of a 1 MB PNG (noise, so it does not compress) by concurrent clients, processed by the
 * hub's own processors (SHA-256, thumbnails 128 and 512 px) to COMPLETED: uploads/s, and the time
 * from upload (the file's row written) to COMPLETED (the decision written), p50/p99, both on the
 * database's clock; then files one at a time (the latency with no queue in front). Run with {@code
 * mvn -q test-compile exec:java@files-bench} ({@code -Dbench.files=N -Dbench.clients=C
 * -Dbench.alone=M}).
 */
public final class FilesBenchmark {

  private FilesBenchmark() {}

  public static void main(String[] args) throws Exception {
    int files = Integer.getInteger("bench.files", 60);
    int clients = Integer.getInteger("bench.clients", 4);
    TestEngines.start();
    byte[] png = FileSamples.noisyPng(1_000_000);
    try (HubRunner hub =
        new HubRunner(
            Map.of(
                "hub.callbacks.files.secret", "whsec_ZmlsZXMtYmVuY2g=",
                "hub.files.dir", "target/hub-data/files-bench"))) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      // warm-up: the consumer groups joined, the code paths compiled
      upload(pool, hub, png, clients * 2);
      awaitDone(Duration.ofMinutes(5));
      long start = System.nanoTime();
      upload(pool, hub, png, files);
      double uploadSeconds = (System.nanoTime() - start) / 1e9;
      awaitDone(Duration.ofMinutes(10));
      double allSeconds = (System.nanoTime() - start) / 1e9;
      List<Double> latencies = latencies(files);
      // one at a time: the latency of one file with no queue in front of it
      int alone = Integer.getInteger("bench.alone", 10);
      for (int i = 0; i < alone; i++) {
        upload(pool, hub, png, 1);
        awaitDone(Duration.ofMinutes(2));
      }
      List<Double> aloneLatencies = latencies(alone);
      pool.shutdown();
      System.out.printf(
          "%nFiles benchmark: %d uploads of a %d-byte PNG, %d concurrent clients, %d cores%n",
          files, png.length, clients, Runtime.getRuntime().availableProcessors());
      System.out.printf("uploads/s (202 answered): %.1f%n", files / uploadSeconds);
      System.out.printf(
          "all %d COMPLETED after %.1f s (%.1f files/s)%n", files, allSeconds, files / allSeconds);
      System.out.printf(
          "upload -> COMPLETED: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          percentile(latencies, 50),
          percentile(latencies, 99),
          latencies.get(latencies.size() - 1));
      System.out.printf(
          "one at a time (%d files, no queue): upload -> COMPLETED p50 %.0f ms, p99 %.0f ms%n",
          alone, percentile(aloneLatencies, 50), percentile(aloneLatencies, 99));
    }
    System.exit(0);
  }

  private static void upload(ExecutorService pool, HubRunner hub, byte[] png, int count)
      throws Exception {
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      answers.add(
          pool.submit(
              () ->
                  FileSamples.upload(
                      hub.url("/api/files"), "bench-" + n + ".png", "image/png", png)));
    }
    for (Future<HttpResponse<String>> answer : answers) {
      if (answer.get().statusCode() != 202) {
        throw new IllegalStateException("upload answered " + answer.get().body());
      }
    }
  }

  private static void awaitDone(Duration timeout) throws Exception {
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> count("select count(*) from files where status = 'PENDING'") == 0);
    if (count("select count(*) from files where status <> 'COMPLETED'") > 0) {
      throw new IllegalStateException("some files did not complete");
    }
  }

  private static List<Double> latencies(int newest) throws Exception {
    List<Double> latencies = new ArrayList<>();
    try (Connection c = connection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select extract(epoch from (updated_at - uploaded_at)) * 1000 from files"
                    + " order by uploaded_at desc limit "
                    + newest)) {
      while (rs.next()) {
        latencies.add(rs.getDouble(1));
      }
    }
    Collections.sort(latencies);
    return latencies;
  }

  private static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  private static long count(String sql) throws Exception {
    try (Connection c = connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection connection() throws Exception {
    return DriverManager.getConnection(
        TestEngines.jdbcUrl(), System.getProperty("hub.db.user"), "");
  }
}
