package io.eventhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * docs/benchmarks.svg: for every path with a curve, throughput achieved and p99 latency against the
 * offered load, side by side. Plain SVG, written by hand.
 */
final class BenchmarkChart {

  private static final int PANEL_W = 440;
  private static final int PANEL_H = 220;
  private static final int LEFT = 70;
  private static final int TOP = 50;
  private static final int ROW_H = PANEL_H + 110;
  private static final int WIDTH = 2 * (PANEL_W + LEFT + 30);

  private BenchmarkChart() {}

  static String svg(List<JsonNode> results) {
    List<JsonNode> curves = new ArrayList<>();
    for (JsonNode r : results) {
      if (r.path("curve").size() > 0) {
        curves.add(r);
      }
    }
    int height = Math.max(1, curves.size()) * ROW_H + 20;
    StringBuilder s = new StringBuilder();
    s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">\n",
            WIDTH,
            height,
            WIDTH,
            height));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    if (curves.isEmpty()) {
      s.append("<text x=\"20\" y=\"30\">No benchmark path measured a curve.</text>\n");
    }
    for (int i = 0; i < curves.size(); i++) {
      JsonNode r = curves.get(i);
      int y = i * ROW_H;
      s.append(
          text(
              20,
              y + 25,
              r.path("path").asText() + ": " + r.path("title").asText(""),
              "font-size=\"14\" font-weight=\"bold\""));
      JsonNode curve = r.path("curve");
      double maxOffered = 0;
      double maxAchieved = 0;
      double maxP99 = 0;
      for (JsonNode p : curve) {
        maxOffered = Math.max(maxOffered, p.path("offered").asDouble());
        maxAchieved = Math.max(maxAchieved, p.path("achieved").asDouble());
        maxP99 = Math.max(maxP99, p.path("p99Ms").asDouble());
      }
      double xMax = nice(maxOffered);
      double throughputMax = nice(Math.max(maxOffered, maxAchieved));
      panel(s, LEFT, y + TOP, xMax, throughputMax, "achieved /s", "offered /s");
      // the line where achieved equals offered
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\""
                  + " stroke-dasharray=\"4 4\"/>\n",
              (double) LEFT,
              (double) (y + TOP + PANEL_H),
              LEFT + PANEL_W * Math.min(1, throughputMax / xMax),
              y + TOP + PANEL_H - PANEL_H * Math.min(1, xMax / throughputMax)));
      series(s, curve, "achieved", LEFT, y + TOP, xMax, throughputMax, "#1f77b4");
      int right = LEFT + PANEL_W + LEFT + 30;
      double p99Max = nice(maxP99);
      panel(s, right, y + TOP, xMax, p99Max, "p99 ms", "offered /s");
      series(s, curve, "p99Ms", right, y + TOP, xMax, p99Max, "#d62728");
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static void panel(
      StringBuilder s, int x, int y, double xMax, double yMax, String yLabel, String xLabel) {
    s.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
            x,
            y,
            PANEL_W,
            PANEL_H));
    for (int t = 0; t <= 4; t++) {
      double fx = x + PANEL_W * t / 4.0;
      double fy = y + PANEL_H - PANEL_H * t / 4.0;
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>\n",
              x,
              fy,
              x + PANEL_W,
              fy));
      s.append(text(fx - 10, y + PANEL_H + 16, label(xMax * t / 4), ""));
      s.append(text(x - 45, fy + 4, label(yMax * t / 4), ""));
    }
    s.append(text(x + PANEL_W / 2.0 - 30, y + PANEL_H + 34, xLabel, ""));
    s.append(text(x, y - 8, yLabel, "font-weight=\"bold\""));
  }

  private static void series(
      StringBuilder s,
      JsonNode curve,
      String field,
      int x,
      int y,
      double xMax,
      double yMax,
      String color) {
    StringBuilder points = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    for (JsonNode p : curve) {
      double px = x + PANEL_W * p.path("offered").asDouble() / xMax;
      double py = y + PANEL_H - PANEL_H * Math.min(1, p.path(field).asDouble() / yMax);
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
      dots.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
              px,
              py,
              color));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n",
            points.toString().trim(),
            color));
    s.append(dots);
  }

  /** The smallest 1, 2 or 5 times a power of ten at least this large. */
  static double nice(double value) {
    if (value <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String label(double value) {
    return value >= 1000 && value % 1000 == 0
        ? String.format(Locale.ROOT, "%.0fk", value / 1000)
        : value == Math.rint(value)
            ? String.format(Locale.ROOT, "%.0f", value)
            : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String text(double x, double y, String content, String attributes) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>\n",
        x,
        y,
        attributes.isEmpty() ? "" : " " + attributes,
        escape(content));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
