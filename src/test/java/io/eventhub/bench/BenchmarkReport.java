package io.eventhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Gathers the benchmark paths' results ({@code target/bench/*.json}, see {@link BenchmarkFile})
 * into docs/BENCHMARKS.md: the machine, the date, the command, one summary table (hub, baseline,
 * ratio, goal, met?), a section per path and a chart, docs/benchmarks.svg, of throughput and p99
 * against offered load for every path that measured a curve. Run by {@code bench/run} as {@code
 * exec:java@bench-report}; arguments (tests): input folder, Markdown file, SVG file.
 */
public final class BenchmarkReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The paths in the order the issue lists them; others follow by name. */
  private static final List<String> ORDER =
      List.of("fan-out", "intake", "callbacks", "reservations", "latency", "startup", "footprint");

  private BenchmarkReport() {}

  public static void main(String[] args) throws Exception {
    Path in = Path.of(args.length > 0 ? args[0] : "target/bench");
    Path markdown = Path.of(args.length > 1 ? args[1] : "docs/BENCHMARKS.md");
    Path svg = Path.of(args.length > 2 ? args[2] : "docs/benchmarks.svg");
    List<JsonNode> results = read(in);
    List<String> machine = new ArrayList<>(machine());
    // other work on the machine changes every figure: the paths' notes give it per path too
    machine.add("load average " + StartupBenchmark.loadAverage() + " when the report was written");
    write(results, markdown, svg, machine, now());
    System.out.println("Wrote " + markdown + " and " + svg + " from " + results.size() + " paths");
  }

  /** Every result file in the folder, in the issue's order. */
  static List<JsonNode> read(Path folder) throws IOException {
    List<JsonNode> results = new ArrayList<>();
    if (Files.isDirectory(folder)) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          results.add(JSON.readTree(file.toFile()));
        }
      }
    }
    results.sort(
        (a, b) -> {
          int ia = rank(a.path("path").asText());
          int ib = rank(b.path("path").asText());
          return ia != ib
              ? Integer.compare(ia, ib)
              : a.path("path").asText().compareTo(b.path("path").asText());
        });
    return results;
  }

  private static int rank(String path) {
    int index = ORDER.indexOf(path);
    return index < 0 ? ORDER.size() : index;
  }

  static void write(
      List<JsonNode> results, Path markdown, Path svg, List<String> machine, String date)
      throws IOException {
    boolean quick =
        !results.isEmpty() && results.stream().allMatch(r -> r.path("quick").asBoolean());
    List<String> full =
        results.stream()
            .filter(r -> !r.path("quick").asBoolean())
            .map(r -> r.path("path").asText())
            .toList();
    boolean mixed = !quick && !full.isEmpty() && full.size() < results.size();
    List<String> md = new ArrayList<>();
    md.add("# Benchmarks");
    md.add("");
    md.add(
        "Written by `"
            + (quick || mixed ? "bench/run --quick" : "bench/run")
            + "` on "
            + date
            + (mixed
                ? ", with full runs of " + String.join(", ", full) + " (each section says which)"
                : "")
            + ".");
    md.add("");
    md.add("Machine: " + String.join(", ", machine) + ".");
    md.add("");
    md.add(
        "Each path runs against its baseline in the same run, on the same machine; the hub runs"
            + " with its embedded Kafka broker in its JVM and PostgreSQL as processes of their own."
            + (quick
                ? " **Quick run** (`--quick`): a few seconds per measurement, so the figures are"
                    + " rough."
                : ""));
    md.add("");
    md.add("| path | hub | baseline | ratio | goal | met? |");
    md.add("|---|---:|---:|---:|---|---|");
    for (JsonNode r : results) {
      md.add(
          "| "
              + cell(r.path("path").asText())
              + " | "
              + measure(r.path("hub"))
              + " | "
              + measure(r.path("baseline"))
              + " | "
              + ratio(r.path("ratio"))
              + " | "
              + cell(r.path("goal").asText(""))
              + " | "
              + met(r)
              + " |");
    }
    if (results.isEmpty()) {
      md.add("| (no results in target/bench) | | | | | |");
    }
    boolean anyCurve = results.stream().anyMatch(r -> r.path("curve").size() > 0);
    if (anyCurve) {
      md.add("");
      md.add("![throughput and p99 against offered load](" + svg.getFileName() + ")");
    }
    for (JsonNode r : results) {
      section(md, r);
    }
    Files.createDirectories(markdown.toAbsolutePath().getParent());
    Files.write(markdown, md);
    Files.writeString(svg, BenchmarkChart.svg(results));
  }

  private static void section(List<String> md, JsonNode r) {
    md.add("");
    md.add("## " + r.path("path").asText() + ": " + r.path("title").asText(""));
    md.add("");
    md.add("Goal: " + r.path("goal").asText("—") + ". Met: " + met(r) + ".");
    md.add("");
    for (String side : List.of("hub", "baseline")) {
      JsonNode m = r.path(side);
      if (m.isObject()) {
        md.add(
            "- " + side + " (" + m.path("label").asText(side) + "): " + measure(m) + latencies(m));
      }
    }
    if (!r.path("ratio").isNull() && !r.path("ratio").isMissingNode()) {
      md.add("- ratio: " + ratio(r.path("ratio")));
    }
    if (r.path("rows").size() > 0) {
      md.add("");
      md.add("| | hub | baseline | ratio | goal | met? |");
      md.add("|---|---:|---:|---:|---:|---|");
      for (JsonNode row : r.path("rows")) {
        String unit = row.path("unit").asText("");
        md.add(
            "| "
                + cell(row.path("name").asText())
                + " | "
                + withUnit(row.path("hubRate"), unit)
                + " | "
                + withUnit(row.path("baselineRate"), unit)
                + " | "
                + ratio(row.path("ratio"))
                + " | "
                + (number(row.path("goalRatio"))
                    ? "≥ " + fmt(row.path("goalRatio").asDouble()) + "×"
                    : "")
                + " | "
                + rowMet(row)
                + " |");
      }
    }
    if (r.path("curve").size() > 0) {
      md.add("");
      md.add("| offered /s | achieved /s | p99 ms |");
      md.add("|---:|---:|---:|");
      for (JsonNode p : r.path("curve")) {
        md.add(
            "| "
                + fmt(p.path("offered").asDouble())
                + " | "
                + fmt(p.path("achieved").asDouble())
                + " | "
                + fmt(p.path("p99Ms").asDouble())
                + " |");
      }
    }
    if (r.path("notes").size() > 0) {
      md.add("");
      for (JsonNode note : r.path("notes")) {
        md.add("- " + note.asText());
      }
    }
    if (r.path("quick").asBoolean()) {
      md.add("");
      md.add("_Quick run._");
    }
  }

  /** yes / no: the file's own {@code met}, else ratio against goalRatio; "—" when neither. */
  static String met(JsonNode r) {
    if (r.path("met").isBoolean()) {
      return r.path("met").asBoolean() ? "yes" : "**no**";
    }
    if (number(r.path("ratio")) && number(r.path("goalRatio"))) {
      return r.path("ratio").asDouble() >= r.path("goalRatio").asDouble() ? "yes" : "**no**";
    }
    if (r.path("rows").size() > 0) {
      boolean any = false;
      boolean all = true;
      for (JsonNode row : r.path("rows")) {
        String m = rowMet(row);
        if (!m.isEmpty()) {
          any = true;
          all &= m.equals("yes");
        }
      }
      if (any) {
        return all ? "yes" : "**no**";
      }
    }
    return "—";
  }

  private static String rowMet(JsonNode row) {
    if (row.path("met").isBoolean()) {
      return row.path("met").asBoolean() ? "yes" : "**no**";
    }
    if (number(row.path("ratio")) && number(row.path("goalRatio"))) {
      return row.path("ratio").asDouble() >= row.path("goalRatio").asDouble() ? "yes" : "**no**";
    }
    return "";
  }

  private static String measure(JsonNode m) {
    if (!m.isObject()) {
      return "—";
    }
    String value = withUnit(m.path("rate"), m.path("unit").asText(""));
    if (number(m.path("p99Ms")) && !"ms".equals(m.path("unit").asText())) {
      value += ", p99 " + fmt(m.path("p99Ms").asDouble()) + " ms";
    }
    return value;
  }

  private static String latencies(JsonNode m) {
    List<String> parts = new ArrayList<>();
    for (String[] p : new String[][] {{"p50Ms", "p50"}, {"p99Ms", "p99"}, {"p999Ms", "p99.9"}}) {
      if (number(m.path(p[0]))) {
        parts.add(p[1] + " " + fmt(m.path(p[0]).asDouble()) + " ms");
      }
    }
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }

  private static String withUnit(JsonNode value, String unit) {
    return number(value) ? fmt(value.asDouble()) + (unit.isEmpty() ? "" : " " + unit) : "—";
  }

  private static String ratio(JsonNode value) {
    return number(value) ? String.format(Locale.ROOT, "%.2f×", value.asDouble()) : "—";
  }

  static boolean number(JsonNode value) {
    return value != null && value.isNumber();
  }

  /** A figure with as many digits as it needs: 1234, 12.3, 1.23. */
  static String fmt(double value) {
    double abs = Math.abs(value);
    String pattern = abs >= 100 ? "%,.0f" : abs >= 10 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, pattern, value);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  /** Cores, memory, CPU, OS and Java, from the JVM and /proc. */
  static List<String> machine() {
    List<String> parts = new ArrayList<>();
    parts.add(Runtime.getRuntime().availableProcessors() + " cores");
    String cpu = procValue("/proc/cpuinfo", "model name");
    if (cpu != null) {
      parts.add(cpu);
    }
    String memory = procValue("/proc/meminfo", "MemTotal");
    if (memory != null) {
      long kb = Long.parseLong(memory.replaceAll("[^0-9]", ""));
      parts.add(String.format(Locale.ROOT, "%.1f GiB memory", kb / 1024.0 / 1024.0));
    } else if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      parts.add(
          String.format(
              Locale.ROOT, "%.1f GiB memory", os.getTotalMemorySize() / 1024.0 / 1024 / 1024));
    }
    String os = procValue("/etc/os-release", "PRETTY_NAME");
    parts.add(
        (os != null ? os.replace("\"", "") + ", " : "")
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    parts.add(
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")");
    return parts;
  }

  private static String procValue(String file, String key) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        int sep = line.indexOf(line.contains("=") && !line.contains(":") ? '=' : ':');
        if (sep > 0 && line.substring(0, sep).trim().equals(key)) {
          return line.substring(sep + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static String now() {
    return ZonedDateTime.now(ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
  }
}
