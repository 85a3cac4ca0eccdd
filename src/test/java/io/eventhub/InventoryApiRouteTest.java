package io.eventhub;

import static io.eventhub.support.OrderRecords.sku;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.RouteTestConfiguration;
import io.eventhub.support.Stock;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/** routes/inventory-api.camel.yaml: setting and reading stock levels, on the real PostgreSQL. */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/inventory-api.camel.yaml",
      "camel.server.port=0"
    })
class InventoryApiRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:put-stock-level")
  ProducerTemplate put;

  @Produce("direct:get-stock-level")
  ProducerTemplate get;

  @Test
  void putSetsTheAvailableUnitsAndGetShowsThem() throws Exception {
    String sku = sku("MUG");

    Exchange created = put(sku, "{\"available\": 12}");
    Exchange changed = put(sku, "{\"available\": 7}");
    Exchange read = get(sku);

    assertThat(created.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
    assertThat(body(created).toString())
        .isEqualTo("{\"sku\":\"" + sku + "\",\"available\":12,\"reserved\":0}");
    assertThat(body(changed).get("available").asInt()).isEqualTo(7);
    assertThat(body(read).toString())
        .isEqualTo("{\"sku\":\"" + sku + "\",\"available\":7,\"reserved\":0}");
  }

  @Test
  void settingStockKeepsWhatIsReserved() throws Exception {
    String sku = sku("MUG");
    Stock.set(sku, 5);
    Stock.update("update inventory set available = 3, reserved = 2 where sku = ?", sku);

    Exchange answer = put(sku, "{\"available\": 10}");

    assertThat(body(answer).get("reserved").asInt()).isEqualTo(2);
    assertThat(Stock.level(sku)).isEqualTo(new Stock.Level(10, 2));
  }

  @Test
  void badSkusAndNumbersAreProblems() throws Exception {
    assertProblem(put("bad sku!", "{\"available\": 1}"), 400, "SKU");
    assertProblem(put("-leading-dash", "{\"available\": 1}"), 400, "SKU");
    assertProblem(put("x".repeat(65), "{\"available\": 1}"), 400, "SKU");
    assertProblem(put(sku("A"), "{\"available\": -1}"), 400, "between 0");
    assertProblem(put(sku("A"), "{\"available\": 2.5}"), 400, "whole number");
    assertProblem(put(sku("A"), "{\"available\": \"3\"}"), 400, "whole number");
    assertProblem(put(sku("A"), "{}"), 400, "required");
    assertProblem(put(sku("A"), "[3]"), 400, "JSON object");
    assertProblem(put(sku("A"), "{not json"), 400, "not valid JSON");
    assertProblem(put(sku("A"), "{\"available\": 5000000000}"), 400, "between 0");
    // read exactly: 2^64+1 would wrap to 1 through asLong(), 1e400 would be Infinity
    assertProblem(put(sku("A"), "{\"available\": 18446744073709551617}"), 400, "between 0");
    assertProblem(put(sku("A"), "{\"available\": 1e400}"), 400, "whole number");
    assertProblem(put(sku("A"), "{\"available\": NaN}"), 400, "not valid JSON");
    assertProblem(put(sku("A"), "{\"available\": 1, \"available\": 900}"), 400, "duplicate key");
    assertProblem(get("bad sku!"), 400, "SKU");
  }

  @Test
  void anUnknownSkuIsNotFound() throws Exception {
    assertProblem(get(sku("NEVER-SET")), 404, "PUT");
  }

  private Exchange put(String sku, String body) {
    return put.send(
        e -> {
          e.getMessage().setHeader("sku", sku);
          e.getMessage().setHeader(Exchange.HTTP_PATH, "/api/inventory/" + sku);
          e.getMessage().setBody(body);
        });
  }

  private Exchange get(String sku) {
    return get.send(e -> e.getMessage().setHeader("sku", sku));
  }

  private static JsonNode body(Exchange answer) throws Exception {
    return JSON.readTree(answer.getMessage().getBody(String.class));
  }

  private static void assertProblem(Exchange answer, int status, String detail) throws Exception {
    assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(status);
    assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE))
        .isEqualTo("application/problem+json");
    JsonNode problem = body(answer);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asText()).contains(detail);
  }
}
