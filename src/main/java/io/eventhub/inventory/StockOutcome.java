package io.eventhub.inventory;

/**
 * The inventory's answer to an order, as stored in {@code inventory_orders} and published to
 * inventory.events: {@code InventoryReserved} or {@code InventoryRejected}, with its own event id
 * and time, so that publishing it again (after a crash between the commit and the publish) yields
 * the same event, which consumers deduplicate. {@code stored}: the answer was read back from an
 * earlier run (nothing to record again).
 */
public record StockOutcome(
    String orderId,
    String status,
    String reason,
    String eventId,
    String type,
    String time,
    String data,
    boolean stored) {

  public static final String RESERVED = "RESERVED";
  public static final String REJECTED = "REJECTED";

  public boolean isReserved() {
    return RESERVED.equals(status);
  }
}
