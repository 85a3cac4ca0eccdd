package io.eventhub.security;

import java.util.List;
import java.util.Set;

/**
 * What one client of the API may do: the event types it may publish, the areas it may read (the
 * first path segment after {@code /api/}: orders, inventory, users, analytics, dlq, ...) and
 * whether it has the {@code admin} role, which allows everything. {@code *} in a list allows every
 * type or area.
 */
public record Credential(
    String client,
    List<byte[]> tokenDigests,
    Set<String> publish,
    Set<String> reads,
    boolean admin) {

  public static final String ADMIN = "admin";

  public boolean mayPublish(String type) {
    return admin || (type != null && (publish.contains("*") || publish.contains(type)));
  }

  public boolean mayPublishAnything() {
    return admin || !publish.isEmpty();
  }

  public boolean mayRead(String area) {
    return admin || (area != null && (reads.contains("*") || reads.contains(area)));
  }
}
