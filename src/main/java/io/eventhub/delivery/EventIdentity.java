package io.eventhub.delivery;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An event's identity: its CloudEvent {@code (source, id)} pair, at intake, in every inbox and in
 * the {@code Idempotency-Key} of calls to outside services. Where the pair has to travel as one
 * string (an idempotent repository's key, an HTTP header), it is written as {@link #key}: each part
 * percent-encoded ({@code %}, space, controls and non-ASCII as UTF-8 {@code %XX}), then joined by
 * one space, which neither encoded part can contain. The inboxes keep the two parts in columns of
 * their own.
 *
 * <p>Events the hub makes itself carry a source under {@value #HUB_SOURCE_PREFIX} ({@code
 * /hub/inventory}, {@code /hub/order-saga}, {@code /hub/payments}, {@code /hub/refunds}); intake
 * refuses that prefix from clients, so no client can pre-empt the id of an event the hub makes.
 */
public final class EventIdentity {

  /** The sources of the events the hub makes; clients may not use them. */
  public static final String HUB_SOURCE_PREFIX = "/hub/";

  /** The source of the inbox rows written before sources were recorded. */
  public static final String LEGACY_SOURCE = "urn:eventhub:legacy-unknown-source";

  /** One event's (source, id). */
  public record Id(String source, String id) {}

  private EventIdentity() {}

  /** The source of the events a part of the hub makes: {@code /hub/<part>}. */
  public static String hubSource(String part) {
    return HUB_SOURCE_PREFIX + part;
  }

  /** Whether the source is one of the hub's own (clients may not post events with it). */
  public static boolean isHubSource(String source) {
    return source != null && (source.startsWith(HUB_SOURCE_PREFIX) || source.equals("/hub"));
  }

  /** The (source, id) pair as one unambiguous string: encoded source, a space, encoded id. */
  public static String key(String source, String id) {
    if (source == null || source.isEmpty() || id == null || id.isEmpty()) {
      throw new MalformedEventException("an event needs a source and an id (ce_source, ce_id)");
    }
    return encode(source) + " " + encode(id);
  }

  /** The pair back from {@link #key}. */
  public static Id parse(String key) {
    int space = key == null ? -1 : key.indexOf(' ');
    if (space <= 0 || space != key.lastIndexOf(' ') || space == key.length() - 1) {
      throw new IllegalArgumentException("not an event key (encoded source, space, encoded id)");
    }
    return new Id(decode(key.substring(0, space)), decode(key.substring(space + 1)));
  }

  private static String encode(String part) {
    StringBuilder out = new StringBuilder(part.length());
    for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String decode(String part) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(part.length());
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '%' && i + 2 < part.length()) {
        out.write(Integer.parseInt(part.substring(i + 1, i + 3), 16));
        i += 2;
      } else if (c == '%') {
        throw new IllegalArgumentException("a cut percent escape in an event key");
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
