package io.eventhub.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventhub.delivery.MalformedEventException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole numbers read exactly: a JSON integer within the given bounds, which never go beyond what
 * JavaScript holds exactly (±(2^53−1)). A fraction ({@code 1.5}, {@code 1.0}), a number out of
 * range ({@code 2^64+1}, {@code 1e400}) or anything else is refused with a reason that names the
 * field and the bounds, never the value.
 */
public final class JsonNumbers {

  /** The largest integer JavaScript holds exactly (Number.MAX_SAFE_INTEGER, 2^53−1). */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private JsonNumbers() {}

  /**
   * The integer in {@code node}.
   *
   * @throws MalformedEventException when it is missing, not an integer or out of [min, max]
   */
  public static long integer(JsonNode node, String field, long min, long max) {
    if (!isInteger(node, min, max)) {
      throw new MalformedEventException(
          field
              + " must be an integer from "
              + Math.max(min, -MAX_SAFE_INTEGER)
              + " to "
              + Math.min(max, MAX_SAFE_INTEGER)
              + ".");
    }
    return node.longValue();
  }

  /** Whether {@code node} is a JSON integer within [min, max] (and within ±(2^53−1)). */
  public static boolean isInteger(JsonNode node, long min, long max) {
    return node != null
        && node.isIntegralNumber()
        && node.canConvertToLong()
        && node.longValue() >= Math.max(min, -MAX_SAFE_INTEGER)
        && node.longValue() <= Math.min(max, MAX_SAFE_INTEGER);
  }

  /**
   * Where {@code data} holds a number with a fraction part ({@code 1.0}, {@code 1e2}) at a place
   * its JSON Schema types {@code "integer"}: JSON Schema counts {@code 1.0} as an integer, the hub
   * does not. One line per place, named by its path ({@code $.lines[0].quantity}), never its value.
   */
  public static List<String> fractionsWhereIntegers(JsonNode schema, JsonNode data) {
    List<String> problems = new ArrayList<>();
    walk(schema, data, "$", problems);
    return problems;
  }

  private static void walk(JsonNode schema, JsonNode data, String path, List<String> problems) {
    if (schema == null || !schema.isObject() || data == null) {
      return;
    }
    if ("integer".equals(schema.path("type").asText())
        && data.isNumber()
        && !data.isIntegralNumber()) {
      problems.add(path + ": a whole number is written without a fraction part or exponent");
    }
    JsonNode properties = schema.path("properties");
    if (data.isObject() && properties.isObject()) {
      properties
          .fields()
          .forEachRemaining(
              p -> walk(p.getValue(), data.get(p.getKey()), path + "." + p.getKey(), problems));
    }
    JsonNode items = schema.path("items");
    if (data.isArray() && items.isObject()) {
      for (int i = 0; i < data.size(); i++) {
        walk(items, data.get(i), path + "[" + i + "]", problems);
      }
    }
  }
}
