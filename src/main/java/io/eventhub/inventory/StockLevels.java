package io.eventhub.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.http.ProblemException;
import io.eventhub.json.JsonNumbers;
import io.eventhub.json.StrictJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP side of stock levels: checks the SKU in the path and the {@code {"available": n}} body
 * of {@code PUT /api/inventory/{sku}} (400 problems saying what is wrong), and answers {@code
 * {"sku","available","reserved"}}.
 */
public class StockLevels {

  /** The most units a SKU can be given in one request. */
  public static final long MAX_AVAILABLE = 1_000_000_000L;

  private final ObjectMapper mapper;

  public StockLevels(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public String checkSku(String sku) {
    if (sku == null || !StockRequests.SKU.matcher(sku).matches()) {
      throw new ProblemException(
          400,
          "Invalid SKU",
          "A SKU is 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or"
              + " digit.");
    }
    return sku;
  }

  /** The number of units the body sets. */
  public int availableOf(String body) {
    JsonNode request;
    try {
      request = mapper.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      throw invalid(StrictJson.reason("The body", e) + ".");
    }
    if (request == null || !request.isObject()) {
      throw invalid("Send a JSON object: {\"available\": n}.");
    }
    JsonNode available = request.get("available");
    if (available == null || !available.isNumber()) {
      throw invalid("\"available\" is required and must be a whole number.");
    }
    // read exactly: 2^64+1 or 1e400 is refused, never wrapped; 1.5 is not a whole number
    if (!JsonNumbers.isInteger(available, 0, MAX_AVAILABLE)) {
      throw invalid("\"available\" must be a whole number between 0 and " + MAX_AVAILABLE + ".");
    }
    return Math.toIntExact(available.longValue());
  }

  /** The stock level of a SKU as JSON, from its row; 404 when the SKU has none. */
  public String answer(List<Map<String, Object>> rows, String sku) throws JsonProcessingException {
    if (rows == null || rows.isEmpty()) {
      throw new ProblemException(
          404, "Unknown SKU", "There is no stock for SKU '" + sku + "'; set it with PUT first.");
    }
    Map<String, Object> row = rows.get(0);
    Map<String, Object> level = new LinkedHashMap<>();
    level.put("sku", row.get("sku"));
    level.put("available", row.get("available"));
    level.put("reserved", row.get("reserved"));
    return mapper.writeValueAsString(level);
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(400, "Invalid Stock Level", detail);
  }
}
