package io.eventhub.bench;

import static org.awaitility.Awaitility.await;

import io.eventhub.App;
import io.eventhub.support.TestEngines;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub as a user starts it with embedded engines ({@code mvn compile camel:run}: the dev
 * profile, the route files of the working tree), as a JVM process of its own on free ports, with
 * its engines' data in the given folder. Its log goes to {@code <dataDir>/hub.log}.
 */
final class HubProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path dataDir;
  private final Path log;
  private final int port;
  private final long startedNanos;

  /**
   * Starts the hub; {@code jvmOptions} go before the main class (heap settings), {@code properties}
   * become system properties.
   */
  HubProcess(Path dataDir, List<String> jvmOptions, Map<String, String> properties)
      throws IOException {
    this(dataDir, jvmOptions, properties, null);
  }

  /**
   * Starts the hub from the runnable jar ({@code mvn package}) as {@code bin/hub} does, or, when
   * {@code jar} is null, from this build's classes.
   */
  HubProcess(Path dataDir, List<String> jvmOptions, Map<String, String> properties, Path jar)
      throws IOException {
    Files.createDirectories(dataDir);
    this.dataDir = dataDir;
    port = TestEngines.freePort();
    log = dataDir.resolve("hub.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    if (jar == null) {
      command.add("-cp");
      command.add(classpath());
    }
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.add("-Dcamel.main.profile=dev");
    command.add("-Dhub.http.port=" + port);
    command.add("-Dhub.kafka.embedded.port=" + TestEngines.freePort());
    command.add("-Dhub.kafka.embedded.controller-port=" + TestEngines.freePort());
    command.add("-Dhub.kafka.embedded.data-dir=" + dataDir.resolve("kafka").toAbsolutePath());
    command.add("-Dhub.db.embedded.data-dir=" + dataDir.resolve("postgres").toAbsolutePath());
    // no file watcher for a measurement
    command.add("-Dcamel.main.routes-reload-enabled=false");
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    if (jar == null) {
      command.add(App.class.getName());
    } else {
      command.add("-jar");
      command.add(jar.toAbsolutePath().toString());
    }
    startedNanos = System.nanoTime();
    process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /**
   * Waits for the first 200 from /observe/health; returns the seconds from the process start to it.
   */
  double awaitReady(Duration timeout) {
    HttpRequest health =
        HttpRequest.newBuilder(URI.create(url("/observe/health")))
            // the health checks (database, broker) answer slowly on a busy machine: a 2 s timeout
            // counted a ready hub as not ready for minutes
            .timeout(Duration.ofSeconds(15))
            .build();
    long[] readyNanos = new long[1];
    // probes 20 ms apart: the readiness instant is known to within 20 ms
    await()
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .failFast("the hub stopped while starting: see " + log, () -> !process.isAlive())
        .until(
            () -> {
              if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                return false;
              }
              readyNanos[0] = System.nanoTime();
              return true;
            });
    return (readyNanos[0] - startedNanos) / 1e9;
  }

  /** The phases of the start as the log states them (engines, Camel, ready), in ms. */
  List<String> phases() throws IOException {
    String text = Files.readString(log);
    List<String> phases = new ArrayList<>();
    find(text, "Embedded Kafka broker ready .* in (\\d+) ms", "Kafka broker %s ms", phases);
    find(text, "Embedded PostgreSQL ready .* in (\\d+) ms", "PostgreSQL %s ms", phases);
    find(
        text,
        "Schema migrated \\(\\d+ migrations applied\\) in (\\d+) ms",
        "migrations %s ms",
        phases);
    find(text, "started in (\\S+) \\(build", "Camel context start %s", phases);
    find(text, "boot:(\\S+)\\)", "Camel boot %s", phases);
    find(
        text, "ready (\\d+) ms after the JVM started", "ready %s ms after the JVM started", phases);
    return phases;
  }

  private static void find(String text, String regex, String format, List<String> into) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (m.find()) {
      into.add(String.format(format, m.group(1)));
    }
  }

  /** VmRSS and VmHWM of the hub's JVM in MB, from /proc. */
  long[] memoryMb() throws IOException {
    return memoryMb(process.pid());
  }

  static long[] memoryMb(long pid) throws IOException {
    long rss = 0;
    long hwm = 0;
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = kb(line) / 1024;
      } else if (line.startsWith("VmHWM:")) {
        hwm = kb(line) / 1024;
      }
    }
    return new long[] {rss, hwm};
  }

  /**
   * The proportional set size (shared pages split between the processes sharing them) of the
   * embedded PostgreSQL's server processes, in MB. pg_ctl detaches the server from the hub, so it
   * is found by its data folder: the postmaster and its children.
   */
  long postgresPssMb() {
    String marker = "-D\0" + dataDir.resolve("postgres").toAbsolutePath();
    List<long[]> processes = new ArrayList<>();
    long postmaster = -1;
    try (var proc = Files.list(Path.of("/proc"))) {
      for (Path dir : proc.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline = Files.readString(dir.resolve("cmdline"));
          String stat = Files.readString(dir.resolve("stat"));
          long pid = Long.parseLong(dir.getFileName().toString());
          long ppid = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
          processes.add(new long[] {pid, ppid});
          if (cmdline.contains(marker) && cmdline.contains("postgres")) {
            postmaster = pid;
          }
        } catch (IOException | RuntimeException gone) {
          // ended meanwhile
        }
      }
    } catch (IOException e) {
      return 0;
    }
    long kb = 0;
    for (long[] process : processes) {
      if (process[0] == postmaster || process[1] == postmaster) {
        kb += pssKb(process[0]);
      }
    }
    return postmaster < 0 ? 0 : kb / 1024;
  }

  private static long pssKb(long pid) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps_rollup"))) {
        if (line.startsWith("Pss:")) {
          return kb(line);
        }
      }
    } catch (IOException | RuntimeException gone) {
      // ended meanwhile
    }
    return 0;
  }

  /** CPU seconds the hub's JVM used so far (user and system; its PostgreSQL not included). */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // utime and stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second)
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  private static long kb(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  /** SIGTERM, as an operator stops it; forcibly (with its PostgreSQL) after a minute. */
  @Override
  public void close() throws Exception {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }

  /** The classpath this benchmark runs on (exec:java's class loader), for the hub's JVM. */
  static String classpath() {
    for (ClassLoader loader = Thread.currentThread().getContextClassLoader();
        loader != null;
        loader = loader.getParent()) {
      if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
        List<String> entries = new ArrayList<>();
        for (URL url : urls.getURLs()) {
          try {
            String entry = Path.of(url.toURI()).toString();
            // the test resources are the tests' settings, not the hub's
            if (!entry.endsWith("test-classes")) {
              entries.add(entry);
            }
          } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
          }
        }
        if (entries.stream().anyMatch(e -> e.endsWith("classes"))) {
          return String.join(File.pathSeparator, entries);
        }
      }
    }
    return System.getProperty("java.class.path");
  }
}
