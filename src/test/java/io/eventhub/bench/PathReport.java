package io.eventhub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark path's result as {@code target/bench/<path>.json} (the shape every path writes, so
 * that one report step gathers them): the hub against its baseline, optional rows and a curve of
 * p99 against offered load, and notes.
 */
final class PathReport {

  private final Map<String, Object> json = new LinkedHashMap<>();
  private final List<Map<String, Object>> rows = new ArrayList<>();
  private final List<Map<String, Object>> curve = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  PathReport(String path, String title, String goal, Double goalRatio) {
    json.put("path", path);
    json.put("title", title);
    json.put("goal", goal);
    json.put("goalRatio", goalRatio);
  }

  /** Whether this is the short run ({@code -Dbench.quick=true}). */
  static boolean quick() {
    return Boolean.getBoolean("bench.quick");
  }

  /** A side of the comparison: its label, rate and latencies (null where not measured). */
  static Map<String, Object> side(String label, double rate, String unit, Load.Run run) {
    Map<String, Object> side = new LinkedHashMap<>();
    side.put("label", label);
    side.put("rate", round(rate));
    side.put("unit", unit);
    side.put("p50Ms", run == null ? null : round(run.p50Micros() / 1000.0));
    side.put("p99Ms", run == null ? null : round(run.p99Micros() / 1000.0));
    side.put("p999Ms", run == null ? null : round(run.p999Micros() / 1000.0));
    return side;
  }

  PathReport compare(Map<String, Object> hub, Map<String, Object> baseline) {
    json.put("hub", hub);
    json.put("baseline", baseline);
    double base = ((Number) baseline.get("rate")).doubleValue();
    json.put("ratio", base > 0 ? round3(((Number) hub.get("rate")).doubleValue() / base) : null);
    return this;
  }

  PathReport row(String name, double hubRate, double baselineRate, Double goalRatio, String unit) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", name);
    row.put("hubRate", round(hubRate));
    row.put("baselineRate", round(baselineRate));
    row.put("ratio", baselineRate > 0 ? round3(hubRate / baselineRate) : null);
    row.put("goalRatio", goalRatio);
    row.put("unit", unit);
    rows.add(row);
    return this;
  }

  PathReport point(Load.Paced paced) {
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("offered", round(paced.offered()));
    point.put("achieved", round(paced.achieved()));
    point.put("p99Ms", round(paced.p99Micros() / 1000.0));
    curve.add(point);
    return this;
  }

  PathReport note(String note) {
    notes.add(note);
    System.out.println("  " + note);
    return this;
  }

  /** Writes {@code target/bench/<path>.json} and prints it. */
  void write() throws IOException {
    if (!rows.isEmpty()) {
      json.put("rows", rows);
    }
    if (!curve.isEmpty()) {
      json.put("curve", curve);
    }
    json.put("notes", notes);
    json.put("quick", quick());
    Path out = Path.of("target/bench", json.get("path") + ".json");
    Files.createDirectories(out.getParent());
    String text =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
    Files.writeString(out, text + "\n");
    System.out.println(text);
  }

  static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
