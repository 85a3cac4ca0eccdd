package io.eventhub.inventory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters the stock SQL files bind by name ({@code :?orderId}, ...), as one map: the routes
 * put it in the {@code CamelJdbcParameters} header, the lab's plain JDBC runner hands it to
 * Spring's {@code NamedParameterJdbcTemplate}. Also the transactions' time limits (begin.sql).
 */
public class StockParameters {

  /** The inventory's name in the inbox. */
  public static final String SERVICE = "inventory";

  private final String lockTimeoutMs;
  private final String statementTimeoutMs;

  public StockParameters(long lockTimeoutMs, long statementTimeoutMs) {
    this.lockTimeoutMs = String.valueOf(lockTimeoutMs);
    this.statementTimeoutMs = String.valueOf(statementTimeoutMs);
  }

  /**
   * A reservation with the source of its OrderCreated, for the statements that claim its inbox row
   * (service, source, id).
   */
  public Map<String, Object> reserve(StockRequest request, String source) {
    Map<String, Object> p = reserve(request);
    p.put("source", source);
    return p;
  }

  /** A reservation: the order, its event and its lines (SKUs and quantities in SKU order). */
  public Map<String, Object> reserve(StockRequest request) {
    Map<String, Object> p = transaction(request.orderId(), request.eventId());
    p.put("skus", request.getSkus());
    p.put("quantities", request.getQuantities());
    return p;
  }

  /** A reservation with its decision, for record-decision.sql and record-reservations.sql. */
  public Map<String, Object> record(StockRequest request, StockOutcome outcome) {
    Map<String, Object> p = reserve(request);
    p.put("status", outcome.status());
    p.put("reason", outcome.reason());
    p.put("resultEventId", outcome.eventId());
    p.put("resultType", outcome.type());
    p.put("resultTime", outcome.time());
    p.put("resultData", outcome.data());
    return p;
  }

  /** One map per line (sku, quantity, version) on top of the reservation's, in SKU order. */
  public List<Map<String, Object>> perLine(StockRequest request, List<? extends StockLine> lines) {
    return lines.stream()
        .map(
            line -> {
              Map<String, Object> p = reserve(request);
              p.put("sku", line.sku());
              p.put("quantity", line.quantity());
              p.put("version", line.version());
              return p;
            })
        .toList();
  }

  /** A release: the order and the OrderCancelled event (its id and source). */
  public Map<String, Object> release(String orderId, String eventId, String source) {
    Map<String, Object> p = transaction(orderId, eventId);
    p.put("source", source);
    return p;
  }

  private Map<String, Object> transaction(String orderId, String eventId) {
    Map<String, Object> p = new HashMap<>();
    p.put("service", SERVICE);
    p.put("orderId", orderId);
    p.put("eventId", eventId);
    p.put("lockTimeout", lockTimeoutMs);
    p.put("statementTimeout", statementTimeoutMs);
    return p;
  }
}
