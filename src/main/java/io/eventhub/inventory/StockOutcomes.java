package io.eventhub.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/** Makes the inventory's answers to orders: new ones from a stock check, or the stored ones. */
public class StockOutcomes {

  public static final String RESERVED_TYPE = "InventoryReserved";
  public static final String REJECTED_TYPE = "InventoryRejected";
  public static final String ORDER_CANCELLED = "ORDER_CANCELLED";

  private final ObjectMapper mapper;

  public StockOutcomes(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Reserved when the check took every line, rejected with its reason otherwise. */
  public StockOutcome decided(StockRequest request, StockCheck check)
      throws JsonProcessingException {
    return check.isReserve() ? reserved(request) : rejected(request, check.reason());
  }

  public StockOutcome reserved(StockRequest request) throws JsonProcessingException {
    ObjectNode data = mapper.createObjectNode();
    data.put("orderId", request.orderId());
    ArrayNode lines = data.putArray("lines");
    for (StockRequest.Line line : request.lines()) {
      lines.addObject().put("sku", line.sku()).put("quantity", line.quantity());
    }
    return outcome(request, StockOutcome.RESERVED, null, RESERVED_TYPE, data);
  }

  public StockOutcome rejected(StockRequest request, String reason) throws JsonProcessingException {
    ObjectNode data = mapper.createObjectNode();
    data.put("orderId", request.orderId());
    data.set("lines", mapper.readTree(request.requestedLines()));
    data.put("reason", reason);
    return outcome(request, StockOutcome.REJECTED, reason, REJECTED_TYPE, data);
  }

  /** The answer already stored for the order (a row of {@code inventory_orders}). */
  public StockOutcome stored(Map<String, Object> row) {
    String status = (String) row.get("status");
    return new StockOutcome(
        (String) row.get("order_id"),
        "REJECTED".equals(status) ? StockOutcome.REJECTED : StockOutcome.RESERVED,
        (String) row.get("reason"),
        (String) row.get("result_event_id"),
        (String) row.get("result_type"),
        (String) row.get("result_time"),
        String.valueOf(row.get("result_data")),
        true);
  }

  private StockOutcome outcome(
      StockRequest request, String status, String reason, String type, ObjectNode data)
      throws JsonProcessingException {
    String time =
        OffsetDateTime.now(ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.MILLIS)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    return new StockOutcome(
        request.orderId(),
        status,
        reason,
        "inv-" + UUID.randomUUID(),
        type,
        time,
        mapper.writeValueAsString(data),
        false);
  }
}
