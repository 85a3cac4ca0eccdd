package io.eventhub.dev;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stand-ins for the outside services in the dev profile: they accept every call, remember the
 * latest ones and show them at {@code GET /stand-ins/{service}}, so the hub works end to end out of
 * the box. A repeated Idempotency-Key is accepted and marked as a duplicate, as a real service
 * would.
 */
public class StandInServices {

  private static final int KEEP = 100;

  private final Map<String, Deque<Map<String, Object>>> calls = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();

  public synchronized Map<String, Object> receive(
      String service, String idempotencyKey, String body) {
    boolean duplicate =
        idempotencyKey != null
            && !keys.computeIfAbsent(service, s -> new HashSet<>()).add(idempotencyKey);
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("receivedAt", Instant.now().toString());
    call.put("idempotencyKey", idempotencyKey);
    call.put("duplicate", duplicate);
    call.put("body", body);
    Deque<Map<String, Object>> list = calls.computeIfAbsent(service, s -> new ArrayDeque<>());
    list.addFirst(call);
    while (list.size() > KEEP) {
      list.removeLast();
    }
    return Map.of("service", service, "accepted", true, "duplicate", duplicate);
  }

  public synchronized Map<String, Object> received(String service) {
    List<Map<String, Object>> list =
        new ArrayList<>(calls.getOrDefault(service, new ArrayDeque<>()));
    return Map.of("service", service, "count", list.size(), "calls", list);
  }
}
