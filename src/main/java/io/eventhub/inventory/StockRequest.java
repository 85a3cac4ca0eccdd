package io.eventhub.inventory;

import java.util.List;

/**
 * What an order asks of the inventory: its lines merged by SKU and sorted by SKU, so every
 * transaction locks rows in the same order and two orders never deadlock on each other. {@code
 * invalidReason} is set when the order cannot be reserved whatever the stock ({@code
 * INVALID_QUANTITY}, or {@code UNKNOWN_SKU} for a SKU that cannot exist); {@code requestedLines} is
 * the lines as the order sent them, as JSON.
 */
public record StockRequest(
    String orderId, String eventId, List<Line> lines, String requestedLines, String invalidReason) {

  /** One SKU and how many units of it. */
  public record Line(String sku, int quantity) implements StockLine {}

  public String[] getSkus() {
    return lines.stream().map(Line::sku).toArray(String[]::new);
  }

  public int[] getQuantities() {
    return lines.stream().mapToInt(Line::quantity).toArray();
  }

  public boolean isValid() {
    return invalidReason == null;
  }
}
