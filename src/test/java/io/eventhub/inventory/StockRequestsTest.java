package io.eventhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** StockRequests without a database: what an OrderCreated asks of the inventory. */
class StockRequestsTest {

  private final StockRequests requests = new StockRequests(new ObjectMapper());

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
