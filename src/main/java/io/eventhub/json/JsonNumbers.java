package io.eventhub.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventhub.delivery.MalformedEventException;

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
}
