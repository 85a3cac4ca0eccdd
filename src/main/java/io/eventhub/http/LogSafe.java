package io.eventhub.http;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelLogger;
import org.apache.camel.spi.LogListener;

/**
 * Makes text safe to log: CR, LF, tabs and every other control character (and the Unicode line and
 * paragraph separators) are written as escapes ({@code \r}, {@code \n}, {@code \u0085}), and the
 * text is cut at {@link #MAX_LENGTH} characters, so a client-supplied value (an event id, a source,
 * an order id, a SKU, a path) can never forge a log line or flood the log. Java code logs client
 * values through {@link #text}; as a {@link LogListener} it does the same to every line a route's
 * {@code log} step writes.
 */
public final class LogSafe implements LogListener {

  /** The most characters of one value (or one route log line) written to the log. */
  public static final int MAX_LENGTH = 500;

  /** The value as it may be logged: escaped, and cut at {@link #MAX_LENGTH} characters. */
  public static String text(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value.toString();
    StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
    int length = Math.min(text.length(), MAX_LENGTH);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\r' -> safe.append("\\r");
        case '\n' -> safe.append("\\n");
        case '\t' -> safe.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            safe.append(String.format("\\u%04x", (int) c));
          } else {
            safe.append(c);
          }
        }
      }
    }
    if (text.length() > MAX_LENGTH) {
      safe.append("...(").append(text.length() - MAX_LENGTH).append(" more)");
    }
    return safe.toString();
  }

  /** A route's log line, escaped as a whole before it is written. */
  @Override
  public String onLog(Exchange exchange, CamelLogger camelLogger, String message) {
    return text(message);
  }
}
