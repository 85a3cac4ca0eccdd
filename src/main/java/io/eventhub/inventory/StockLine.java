package io.eventhub.inventory;

/** A SKU and a number of units: a line of a request, or a line a stock check will take. */
public interface StockLine {

  String sku();

  int quantity();

  /** The row version the line was checked against (optimistic locking); -1 when none. */
  default long version() {
    return -1;
  }
}
