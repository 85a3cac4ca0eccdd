package io.eventhub.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether an order's lines can all be taken, from the inventory rows (sku, available,
 * version) a transaction read or locked. All or none: one missing SKU or one short line rejects the
 * whole order.
 */
public class StockDecisions {

  public static final String OUT_OF_STOCK = "OUT_OF_STOCK";
  public static final String UNKNOWN_SKU = "UNKNOWN_SKU";

  /** The ways to take stock (hub.inventory.locking): each is a route direct:take-stock-NAME. */
  public static final List<String> LOCKING = List.of("pessimistic", "optimistic", "atomic");

  public static String checkLocking(String locking) {
    if (!LOCKING.contains(locking)) {
      throw new IllegalArgumentException(
          "hub.inventory.locking is '" + locking + "'; use one of " + LOCKING);
    }
    return locking;
  }

  public StockCheck check(StockRequest request, List<Map<String, Object>> rows) {
    Map<String, Map<String, Object>> bySku = bySku(rows);
    List<StockCheck.Line> lines = new ArrayList<>();
    String reason = null;
    for (StockRequest.Line line : request.lines()) {
      Map<String, Object> row = bySku.get(line.sku());
      if (row == null) {
        return new StockCheck(UNKNOWN_SKU, List.of());
      }
      if (((Number) row.get("available")).longValue() < line.quantity()) {
        reason = OUT_OF_STOCK;
      }
      lines.add(
          new StockCheck.Line(
              line.sku(), line.quantity(), ((Number) row.get("version")).longValue()));
    }
    return reason == null
        ? new StockCheck(null, List.copyOf(lines))
        : new StockCheck(reason, List.of());
  }

  /**
   * After one conditional update per line (the atomic strategy): {@code taken} holds each update's
   * row count, in line order. Taken in full only if every line's update matched.
   */
  public StockCheck afterConditionalUpdates(StockRequest request, List<?> taken) {
    for (Object count : taken) {
      if (((Number) count).intValue() != 1) {
        return new StockCheck(OUT_OF_STOCK, List.of());
      }
    }
    List<StockCheck.Line> lines = new ArrayList<>();
    for (StockRequest.Line line : request.lines()) {
      lines.add(new StockCheck.Line(line.sku(), line.quantity(), -1));
    }
    return new StockCheck(null, List.copyOf(lines));
  }

  /** Why a conditional update matched nothing: the SKU is missing, or it is short. */
  public StockCheck whyNotTaken(StockRequest request, List<Map<String, Object>> rows) {
    Map<String, Map<String, Object>> bySku = bySku(rows);
    for (StockRequest.Line line : request.lines()) {
      if (!bySku.containsKey(line.sku())) {
        return new StockCheck(UNKNOWN_SKU, List.of());
      }
    }
    return new StockCheck(OUT_OF_STOCK, List.of());
  }

  private static Map<String, Map<String, Object>> bySku(List<Map<String, Object>> rows) {
    Map<String, Map<String, Object>> bySku = new HashMap<>();
    for (Map<String, Object> row : rows) {
      bySku.put((String) row.get("sku"), row);
    }
    return bySku;
  }
}
