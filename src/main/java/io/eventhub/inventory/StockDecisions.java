package io.eventhub.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.eventhub.transactions.OptimisticConflict;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every decision of the stock transactions, from what their statements returned: the request, the
 * order's stored row, the stock rows and the update counts. No database here: the routes (and the
 * lab's plain JDBC runner) run the SQL files and ask this bean what follows. All or none: one
 * missing SKU or one short line rejects the whole order.
 */
public class StockDecisions {

  public static final String OUT_OF_STOCK = "OUT_OF_STOCK";
  public static final String UNKNOWN_SKU = "UNKNOWN_SKU";

  /** The ways to take stock (hub.inventory.locking): each is a route direct:take-stock-NAME. */
  public static final List<String> LOCKING = List.of("pessimistic", "optimistic", "atomic");

  private final StockOutcomes outcomes;

  public StockDecisions(StockOutcomes outcomes) {
    this.outcomes = outcomes;
  }

  public static String checkLocking(String locking) {
    if (!LOCKING.contains(locking)) {
      throw new IllegalArgumentException(
          "hub.inventory.locking is '" + locking + "'; use one of " + LOCKING);
    }
    return locking;
  }

  /**
   * Before any stock is touched, from the order's row in {@code inventory_orders} (none, or one):
   * decided before (a redelivery, perhaps after a crash before the publish): the stored answer
   * again; cancelled before it arrived: rejected with {@code ORDER_CANCELLED}; lines no stock can
   * serve: rejected with the request's reason. Null: take the stock.
   */
  public StockOutcome beforeStock(StockRequest request, List<Map<String, Object>> orderRows) {
    if (!orderRows.isEmpty()) {
      Map<String, Object> row = orderRows.get(0);
      return "CANCELLED".equals(row.get("status"))
          ? rejected(request, StockOutcomes.ORDER_CANCELLED)
          : outcomes.stored(row);
    }
    if (!request.isValid()) {
      return rejected(request, request.invalidReason());
    }
    return null;
  }

  /** After the stock was taken (or found short): reserved, or rejected with the check's reason. */
  public StockOutcome afterStock(StockRequest request, StockCheck check) {
    try {
      return outcomes.decided(request, check);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private StockOutcome rejected(StockRequest request, String reason) {
    try {
      return outcomes.rejected(request, reason);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Pessimistic and optimistic: can every line be taken from these rows (sku, available, version)?
   */
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
   * Optimistic: a line's compare-and-set that matched no row means the row moved since the check.
   */
  public void versionMatched(int updated, Map<String, Object> line) {
    if (updated == 0) {
      throw new OptimisticConflict(
          "SKU " + line.get("sku") + " changed since version " + line.get("version"));
    }
  }

  /**
   * Atomic: after one conditional update per line, {@code taken} holds each update's row count, in
   * line order. Taken in full only if every line's update matched.
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

  /** Atomic: why a conditional update matched nothing: the SKU is missing, or it is short. */
  public StockCheck whyNotTaken(StockRequest request, List<Map<String, Object>> rows) {
    Map<String, Map<String, Object>> bySku = bySku(rows);
    for (StockRequest.Line line : request.lines()) {
      if (!bySku.containsKey(line.sku())) {
        return new StockCheck(UNKNOWN_SKU, List.of());
      }
    }
    return new StockCheck(OUT_OF_STOCK, List.of());
  }

  /**
   * The decision row written by record-decision.sql: none means another transaction decided on the
   * order meanwhile, so this one runs again and finds that decision.
   */
  public void recorded(int updated, StockOutcome outcome) {
    if (updated == 0) {
      throw new OptimisticConflict(
          "order " + outcome.orderId() + " was decided by another transaction");
    }
  }

  /**
   * Release of an order with no reserved row: after remember-cancelled-order.sql inserted nothing,
   * the order's row as find-order.sql reads it. A reservation committed meanwhile must be released
   * too: the transaction runs again.
   */
  public void notReservedMeanwhile(String orderId, List<Map<String, Object>> orderRows) {
    if (!orderRows.isEmpty() && "RESERVED".equals(orderRows.get(0).get("status"))) {
      throw new OptimisticConflict("order " + orderId + " was reserved while being cancelled");
    }
  }

  private static Map<String, Map<String, Object>> bySku(List<Map<String, Object>> rows) {
    Map<String, Map<String, Object>> bySku = new HashMap<>();
    for (Map<String, Object> row : rows) {
      bySku.put((String) row.get("sku"), row);
    }
    return bySku;
  }
}
