package io.eventhub.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.delivery.MalformedEventException;
import io.eventhub.json.JsonNumbers;
import io.eventhub.json.StrictJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the stock request out of an {@code OrderCreated} (and the order id out of an {@code
 * OrderCancelled}). Data that is not a JSON object with an order id is bad input and fails (the
 * event goes to the dead letter topic); lines the inventory cannot honour make a valid request that
 * will be rejected with the reason.
 */
public class StockRequests {

  /** A SKU as the inventory table accepts it (the same pattern is checked there). */
  public static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  /** More units than this in one line are taken for a mistake. */
  public static final int MAX_QUANTITY = 1_000_000;

  private final ObjectMapper mapper;

  public StockRequests(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public StockRequest fromOrderCreated(String data, String eventId) throws IOException {
    JsonNode order = readOrder(data);
    String orderId = order.get("orderId").asText();
    JsonNode lines = order.path("lines");
    if (!lines.isArray() || lines.isEmpty()) {
      return new StockRequest(orderId, eventId, List.of(), "[]", "INVALID_QUANTITY");
    }
    Map<String, Long> merged = new TreeMap<>();
    String invalid = null;
    for (JsonNode line : lines) {
      JsonNode sku = line.path("sku");
      JsonNode quantity = line.path("quantity");
      // exactly: 2^64+1 or 1e400 is out of range, never wrapped to a small number
      if (!JsonNumbers.isInteger(quantity, 1, MAX_QUANTITY)) {
        invalid = "INVALID_QUANTITY";
        continue;
      }
      if (!sku.isTextual() || !SKU.matcher(sku.asText()).matches()) {
        invalid = invalid == null ? "UNKNOWN_SKU" : invalid;
        continue;
      }
      merged.merge(sku.asText(), quantity.longValue(), Long::sum);
    }
    List<StockRequest.Line> sorted = new ArrayList<>();
    for (Map.Entry<String, Long> line : merged.entrySet()) {
      if (line.getValue() > MAX_QUANTITY) {
        invalid = "INVALID_QUANTITY";
      } else {
        sorted.add(new StockRequest.Line(line.getKey(), line.getValue().intValue()));
      }
    }
    return new StockRequest(
        orderId, eventId, List.copyOf(sorted), mapper.writeValueAsString(lines), invalid);
  }

  public String orderIdOf(String data) throws IOException {
    return readOrder(data).get("orderId").asText();
  }

  private JsonNode readOrder(String data) throws IOException {
    JsonNode order;
    try {
      order = mapper.readTree(data == null ? "" : data);
    } catch (JsonProcessingException e) {
      // the parser's message quotes the record
      throw new MalformedEventException(StrictJson.reason("The event data", e) + ".");
    }
    if (order == null || !order.isObject()) {
      throw new MalformedEventException("the event data is not a JSON object");
    }
    JsonNode orderId = order.get("orderId");
    if (orderId == null || !orderId.isTextual() || orderId.asText().isBlank()) {
      throw new MalformedEventException("the event data has no orderId");
    }
    return order;
  }
}
