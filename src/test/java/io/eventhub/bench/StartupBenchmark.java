package io.eventhub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Start-up with embedded engines: the hub as a process of its own (dev profile, as {@code mvn
 * compile camel:run} starts it), from the process start to the first 200 from /observe/health.
 * Cold: fresh data folders (the PostgreSQL binaries unpacked, initdb, the Kafka storage formatted,
 * every migration and topic created); warm: the same folders again. Each run N times (3, or 1 with
 * {@code -Dbench.quick=true}; {@code -Dbench.startup.runs}), the median reported. Writes
 * target/bench/startup.json; {@code mvn -q test-compile exec:java@bench-startup}.
 */
public final class StartupBenchmark {

  static final double COLD_GOAL_S = 8;
  static final double WARM_GOAL_S = 5;

  /** JVM options for the hub ({@code -Dbench.startup.options="-XX:..."}); none by default. */
  static final List<String> OPTIONS =
      Arrays.stream(System.getProperty("bench.startup.options", "").trim().split(" +"))
          .filter(option -> !option.isEmpty())
          .toList();

  private StartupBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.getInteger("bench.startup.runs", BenchmarkFile.quick() ? 1 : 3);
    Path root =
        Path.of(
            System.getProperty("java.io.tmpdir"), "bench-startup-" + System.currentTimeMillis());
    List<Double> cold = new ArrayList<>();
    List<Double> warm = new ArrayList<>();
    List<Double> jarCold = new ArrayList<>();
    List<Double> jarWarm = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Path jar = Path.of(System.getProperty("bench.startup.jar", "target/camel-event-hub.jar"));
    try {
      for (int i = 1; i <= runs; i++) {
        Path data = root.resolve("run-" + i);
        cold.add(start("cold", i, data, notes, OPTIONS, null));
        warm.add(start("warm", i, data, notes, OPTIONS, null));
        deleteTree(data);
      }
      if (Files.isRegularFile(jar)) {
        // as bin/hub starts the jar: its JVM options, and the class-data sharing archive its
        // first run writes when it stops, used by every later run
        Path archive = root.resolve("hub.jsa");
        List<String> using = binHub("-XX:SharedArchiveFile=" + archive);
        start(
            "jar, first start (writes the archive)",
            1,
            root.resolve("jar-0"),
            notes,
            binHub("-XX:ArchiveClassesAtExit=" + archive),
            jar);
        for (int i = 1; i <= runs; i++) {
          Path data = root.resolve("jar-" + i);
          jarCold.add(start("jar cold", i, data, notes, using, jar));
          jarWarm.add(start("jar warm", i, data, notes, using, jar));
          deleteTree(data);
        }
      } else {
        notes.add("No " + jar + " (mvn package): the runnable jar's start was not measured.");
      }
    } finally {
      deleteTree(root);
    }
    double coldMedian = median(cold);
    double warmMedian = median(warm);
    BenchmarkFile file =
        new BenchmarkFile(
                "startup",
                "Start-up with embedded engines: process start to the first 200 from /observe/health",
                "ready in <= 8 s cold and <= 5 s warm",
                null)
            .hub("cold, median of " + runs, coldMedian, "s", null, null, null)
            .row("cold (fresh data folders)", coldMedian, null, null, null, "s")
            .row("warm (existing data folders)", warmMedian, null, null, null, "s");
    if (!jarCold.isEmpty()) {
      file.row(
              "bin/hub: the jar with its JVM options and AppCDS archive, cold",
              median(jarCold),
              null,
              null,
              null,
              "s")
          .row(
              "bin/hub: the jar with its JVM options and AppCDS archive, warm",
              median(jarWarm),
              null,
              null,
              null,
              "s")
          .met(2, median(jarCold) <= COLD_GOAL_S)
          .met(3, median(jarWarm) <= WARM_GOAL_S);
      file.note(
          String.format(
              Locale.ROOT,
              "bin/hub's start: the runnable jar (%s) with bin/hub's JVM options (%s) and the"
                  + " class-data sharing archive its first start wrote at its stop; %d run(s)"
                  + " each, cold %s s, warm %s s.",
              jar,
              String.join(" ", FootprintBenchmark.RECOMMENDED),
              runs,
              seconds(jarCold),
              seconds(jarWarm)));
    }
    file.note(
        String.format(
            Locale.ROOT,
            "%d run(s) each, cold %s s, warm %s s; the hub in a JVM of its own with %s, dev"
                + " profile, embedded Kafka in its JVM and PostgreSQL as processes of its own,"
                + " fresh free ports.",
            runs,
            seconds(cold),
            seconds(warm),
            OPTIONS.isEmpty()
                ? "default JVM options"
                : "JVM options " + String.join(" ", OPTIONS)));
    notes.forEach(file::note);
    file.note("Load average when done: " + loadAverage() + " (the machine is shared).");
    markMet(file, coldMedian, warmMedian).write();
    System.exit(0);
  }

  /** bin/hub's JVM options with this class-data sharing option, its log lines off as there. */
  private static List<String> binHub(String archiveOption) {
    List<String> options = new ArrayList<>(FootprintBenchmark.RECOMMENDED);
    options.addAll(List.of(archiveOption, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    return options;
  }

  private static BenchmarkFile markMet(BenchmarkFile file, double cold, double warm) {
    // rows and the whole: met when each median is within its goal
    return file.met(0, cold <= COLD_GOAL_S)
        .met(1, warm <= WARM_GOAL_S)
        .met(cold <= COLD_GOAL_S && warm <= WARM_GOAL_S);
  }

  private static double start(
      String kind, int run, Path data, List<String> notes, List<String> options, Path jar)
      throws Exception {
    try (HubProcess hub = new HubProcess(data, options, Map.of(), jar)) {
      double seconds = hub.awaitReady(Duration.ofMinutes(5));
      double cpu = hub.cpuSeconds();
      String line =
          String.format(
              Locale.ROOT,
              "%s run %d: ready in %.2f s (the hub's JVM used %.1f s of CPU until then); phases"
                  + " from the log: %s",
              kind,
              run,
              seconds,
              cpu,
              String.join(", ", hub.phases()));
      System.out.println(line);
      notes.add(line);
      return seconds;
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String seconds(List<Double> values) {
    return String.join(
        " / ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
  }

  static String loadAverage() {
    try {
      // the 1, 5 and 15 minute averages
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return String.join(" ", Arrays.copyOf(fields, Math.min(3, fields.length)));
    } catch (IOException e) {
      return "unknown";
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
