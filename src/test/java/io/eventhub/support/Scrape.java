package io.eventhub.support;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /observe/metrics} (Prometheus text format), read into series. */
public final class Scrape {

  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  public record Series(String name, Map<String, String> labels, double value) {}

  private final List<Series> series = new ArrayList<>();

  private Scrape(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      series.add(new Series(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
  }

  /** Scrapes the hub at this base URL. */
  public static Scrape of(HubRunner hub) {
    HttpResponse<String> response = Http.get(hub.url("/observe/metrics"));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("/observe/metrics answered " + response.statusCode());
    }
    return new Scrape(response.body());
  }

  /** The sum of the series of this name whose labels include these (name, value, name, ...). */
  public double sum(String name, String... labels) {
    double total = 0;
    for (Series s : series) {
      if (s.name().equals(name) && matches(s.labels(), labels)) {
        total += s.value();
      }
    }
    return total;
  }

  /** Whether any series of this name with these labels exists. */
  public boolean has(String name, String... labels) {
    return series.stream().anyMatch(s -> s.name().equals(name) && matches(s.labels(), labels));
  }

  /** The series whose name starts with this prefix and whose labels include these, as text. */
  public String describe(String prefix, String... labels) {
    StringBuilder text = new StringBuilder();
    for (Series s : series) {
      if (s.name().startsWith(prefix)
          && !s.name().endsWith("_bucket")
          && matches(s.labels(), labels)) {
        text.append('\n').append(s.name()).append(s.labels()).append(' ').append(s.value());
      }
    }
    return text.toString();
  }

  /** Every series name in the scrape. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    series.forEach(s -> names.add(s.name()));
    return names;
  }

  private static boolean matches(Map<String, String> actual, String... wanted) {
    for (int i = 0; i + 1 < wanted.length; i += 2) {
      if (!wanted[i + 1].equals(actual.get(wanted[i]))) {
        return false;
      }
    }
    return true;
  }
}
