package io.eventhub.inventory;

import java.util.List;

/**
 * The stock check of an order against the rows read or locked: either every line can be taken
 * ({@code reason} null; each line with the row version it was checked against, for a
 * compare-and-set), or none, with the reason ({@code OUT_OF_STOCK}, {@code UNKNOWN_SKU}).
 */
public record StockCheck(String reason, List<Line> lines) {

  /** A line to take, with the version of the SKU's row when it was checked. */
  public record Line(String sku, int quantity, long version) implements StockLine {}

  public boolean isReserve() {
    return reason == null;
  }
}
