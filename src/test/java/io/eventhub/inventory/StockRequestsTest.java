package io.eventhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventhub.delivery.MalformedEventException;
import io.eventhub.json.StrictJson;
import org.junit.jupiter.api.Test;

/** StockRequests without a database: what an OrderCreated asks of the inventory. */
class StockRequestsTest {

  private final StockRequests requests = new StockRequests(StrictJson.mapper());

  @Test
  void linesAreMergedBySkuAndSortedSoTransactionsLockInOneOrder() throws Exception {
    StockRequest request =
        requests.fromOrderCreated(
            "{\"orderId\":\"o-1\",\"lines\":[{\"sku\":\"MUG\",\"quantity\":2},"
                + "{\"sku\":\"CAP\",\"quantity\":1},{\"sku\":\"MUG\",\"quantity\":1}]}",
            "evt-1");

    assertThat(request.isValid()).isTrue();
    assertThat(request.lines())
        .containsExactly(new StockRequest.Line("CAP", 1), new StockRequest.Line("MUG", 3));
    assertThat(request.getSkus()).containsExactly("CAP", "MUG");
    assertThat(request.getQuantities()).containsExactly(1, 3);
  }

  @Test
  void linesNoStockCanServeMakeAnInvalidRequestWithTheReason() throws Exception {
    assertThat(reasonOf("[]")).isEqualTo("INVALID_QUANTITY");
    assertThat(reasonOf("[{\"sku\":\"MUG\",\"quantity\":0}]")).isEqualTo("INVALID_QUANTITY");
    assertThat(reasonOf("[{\"sku\":\"MUG\",\"quantity\":1.5}]")).isEqualTo("INVALID_QUANTITY");
    assertThat(
            reasonOf(
                "[{\"sku\":\"MUG\",\"quantity\":600000},{\"sku\":\"MUG\",\"quantity\":600000}]"))
        .as("too many once merged")
        .isEqualTo("INVALID_QUANTITY");
    assertThat(reasonOf("[{\"sku\":\"no spaces\",\"quantity\":1}]")).isEqualTo("UNKNOWN_SKU");
  }

  @Test
  void hugeQuantitiesAreRefusedNotWrapped() throws Exception {
    // 2^64+1 read with asLong() is 1; 1e400 read as a double is Infinity
    assertThat(reasonOf("[{\"sku\":\"MUG\",\"quantity\":18446744073709551617}]"))
        .isEqualTo("INVALID_QUANTITY");
    assertThat(reasonOf("[{\"sku\":\"MUG\",\"quantity\":9223372036854775807}]"))
        .isEqualTo("INVALID_QUANTITY");
    assertThat(reasonOf("[{\"sku\":\"MUG\",\"quantity\":1e400}]")).isEqualTo("INVALID_QUANTITY");
    assertThat(reasonOf("[{\"sku\":\"MUG\",\"quantity\":1.0}]")).isEqualTo("INVALID_QUANTITY");
  }

  @Test
  void dataThatIsNotJsonFailsWithoutQuotingIt() {
    assertThatThrownBy(
            () ->
                requests.fromOrderCreated(
                    "{\"orderId\":\"o-1\",\"customerId\": ada.lovelace@example.com}", "evt-1"))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageStartingWith("The event data is not valid JSON at line 1, column")
        .hasMessageNotContaining("ada");
    assertThatThrownBy(
            () -> requests.fromOrderCreated("{\"orderId\":\"o-1\",\"orderId\":\"o-2\"}", "e"))
        .hasMessageStartingWith("The event data has a duplicate key");
  }

  @Test
  void dataThatIsNoOrderFails() {
    assertThatThrownBy(() -> requests.fromOrderCreated("{\"customerId\":\"c\"}", "evt-1"))
        .hasMessageContaining("orderId");
    assertThatThrownBy(() -> requests.orderIdOf("[]")).hasMessageContaining("JSON object");
  }

  private String reasonOf(String lines) throws Exception {
    return requests
        .fromOrderCreated("{\"orderId\":\"o-1\",\"lines\":" + lines + "}", "e")
        .invalidReason();
  }
}
