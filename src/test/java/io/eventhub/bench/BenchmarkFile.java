package io.eventhub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One benchmark path's result, {@code target/bench/<path>.json} in the shape every path writes
 * (BENCH-SCHEMA: path, title, goal, goalRatio, hub, baseline, ratio, rows, curve, notes, quick),
 * for {@link BenchmarkReport} to gather into docs/BENCHMARKS.md.
 */
final class BenchmarkFile {

  static final Path DIR = Path.of("target", "bench");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectNode root = JSON.createObjectNode();

  BenchmarkFile(String path, String title, String goal, Double goalRatio) {
    root.put("path", path);
    root.put("title", title);
    root.put("goal", goal);
    root.put("goalRatio", goalRatio);
    root.putNull("hub");
    root.putNull("baseline");
    root.putNull("ratio");
    root.putArray("rows");
    root.putArray("curve");
    root.putArray("notes");
    root.put("quick", quick());
  }

  /** Whether this is a short run ({@code -Dbench.quick=true}). */
  static boolean quick() {
    return Boolean.getBoolean("bench.quick");
  }

  /** The hub's headline figure (a rate, or another measure in its unit; latencies may be null). */
  BenchmarkFile hub(String label, Double rate, String unit, Double p50, Double p99, Double p999) {
    root.set("hub", measure(label, rate, unit, p50, p99, p999));
    return this;
  }

  BenchmarkFile baseline(
      String label, Double rate, String unit, Double p50, Double p99, Double p999) {
    root.set("baseline", measure(label, rate, unit, p50, p99, p999));
    return this;
  }

  /** The hub's headline rate and the latencies of the run that gave it. */
  BenchmarkFile hub(String label, double rate, String unit, Load.Run run) {
    return hub(label, round(rate), unit, millis(run, 50), millis(run, 99), millis(run, 999));
  }

  BenchmarkFile baseline(String label, double rate, String unit, Load.Run run) {
    return baseline(label, round(rate), unit, millis(run, 50), millis(run, 99), millis(run, 999));
  }

  BenchmarkFile ratio(Double ratio) {
    root.put("ratio", ratio);
    return this;
  }

  /** The ratio of the hub's rate to the baseline's, both set before. */
  BenchmarkFile compare() {
    return ratio(
        ratio(root.get("hub").get("rate").asDouble(), root.get("baseline").get("rate").asDouble()));
  }

  /** A sub-result whose ratio is the hub's rate to the baseline's. */
  BenchmarkFile row(String name, double hubRate, double baselineRate, Double goal, String unit) {
    return row(name, round(hubRate), round(baselineRate), ratio(hubRate, baselineRate), goal, unit);
  }

  /** A sub-result; {@code hubRate} is the hub's figure in {@code unit}, the others may be null. */
  BenchmarkFile row(
      String name, Double hubRate, Double baselineRate, Double ratio, Double goal, String unit) {
    ObjectNode row = ((ArrayNode) root.get("rows")).addObject();
    row.put("name", name);
    row.put("hubRate", hubRate);
    row.put("baselineRate", baselineRate);
    row.put("ratio", ratio);
    row.put("goalRatio", goal);
    row.put("unit", unit);
    return this;
  }

  /** A point of the throughput and p99 curve against offered load. */
  BenchmarkFile point(double offered, double achieved, double p99Ms) {
    ObjectNode point = ((ArrayNode) root.get("curve")).addObject();
    point.put("offered", offered);
    point.put("achieved", achieved);
    point.put("p99Ms", p99Ms);
    return this;
  }

  /** A point of the curve from a paced (open-loop) run. */
  BenchmarkFile point(Load.Paced paced) {
    return point(
        round(paced.offered()), round(paced.achieved()), round(paced.p99Micros() / 1000.0));
  }

  /**
   * Whether the goal is met, for goals that are not a ratio (a time, a size); the report otherwise
   * compares ratio and goalRatio.
   */
  BenchmarkFile met(boolean met) {
    root.put("met", met);
    return this;
  }

  /** Whether the goal of the row at this index is met. */
  BenchmarkFile met(int row, boolean met) {
    ((ObjectNode) root.get("rows").get(row)).put("met", met);
    return this;
  }

  /** A note on the run, also printed. */
  BenchmarkFile note(String note) {
    ((ArrayNode) root.get("notes")).add(note);
    System.out.println("  " + note);
    return this;
  }

  /** Writes target/bench/<path>.json and returns its path. */
  Path write() throws IOException {
    Files.createDirectories(DIR);
    Path file = DIR.resolve(root.get("path").asText() + ".json");
    JSON.writeValue(file.toFile(), root);
    System.out.println("Wrote " + file);
    return file;
  }

  static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static Double ratio(double hub, double baseline) {
    return baseline > 0 ? Math.round(hub / baseline * 1000) / 1000.0 : null;
  }

  private static Double millis(Load.Run run, int percentile) {
    if (run == null) {
      return null;
    }
    long micros =
        switch (percentile) {
          case 50 -> run.p50Micros();
          case 99 -> run.p99Micros();
          default -> run.p999Micros();
        };
    return round(micros / 1000.0);
  }

  private static ObjectNode measure(
      String label, Double rate, String unit, Double p50, Double p99, Double p999) {
    ObjectNode node = JSON.createObjectNode();
    node.put("label", label);
    node.put("rate", rate);
    node.put("unit", unit);
    node.put("p50Ms", p50);
    node.put("p99Ms", p99);
    node.put("p999Ms", p999);
    return node;
  }
}
