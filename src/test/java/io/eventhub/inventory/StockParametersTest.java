package io.eventhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** StockParameters: every name the stock SQL files bind, from the request and the decision. */
class StockParametersTest {

  private final StockParameters parameters = new StockParameters(150, 9000);
  private final StockRequest request =
      new StockRequest(
          "order-1",
          "evt-1",
          List.of(new StockRequest.Line("CAP", 1), new StockRequest.Line("MUG", 2)),
          "[]",
          null);

  @Test
  void aReservationBindsTheOrderItsEventItsLinesAndTheTimeLimits() {
    Map<String, Object> p = parameters.reserve(request);

    assertThat(p)
        .containsEntry("service", "inventory")
        .containsEntry("orderId", "order-1")
        .containsEntry("eventId", "evt-1")
        .containsEntry("lockTimeout", "150")
        .containsEntry("statementTimeout", "9000");
    assertThat((String[]) p.get("skus")).containsExactly("CAP", "MUG");
    assertThat((int[]) p.get("quantities")).containsExactly(1, 2);
  }

  @Test
  void aRecordBindsTheDecision() throws Exception {
    StockOutcome outcome = new StockOutcomes(new ObjectMapper()).rejected(request, "OUT_OF_STOCK");

    Map<String, Object> p = parameters.record(request, outcome);

    assertThat(p)
        .containsEntry("status", "REJECTED")
        .containsEntry("reason", "OUT_OF_STOCK")
        .containsEntry("resultEventId", outcome.eventId())
        .containsEntry("resultType", "InventoryRejected")
        .containsEntry("resultTime", outcome.time())
        .containsEntry("resultData", outcome.data())
        .containsEntry("orderId", "order-1");
  }

  @Test
  void eachLineBindsItsSkuQuantityAndVersionInLineOrder() {
    List<Map<String, Object>> lines =
        parameters.perLine(
            request, List.of(new StockCheck.Line("CAP", 1, 4), new StockCheck.Line("MUG", 2, 9)));

    assertThat(lines).extracting(l -> l.get("sku")).containsExactly("CAP", "MUG");
    assertThat(lines).extracting(l -> l.get("version")).containsExactly(4L, 9L);
    assertThat(parameters.perLine(request, request.lines()))
        .extracting(l -> l.get("version"))
        .containsExactly(-1L, -1L);
  }

  @Test
  void aReleaseBindsTheOrderAndTheCancellation() {
    assertThat(parameters.release("order-1", "evt-9", "/shop"))
        .containsEntry("service", "inventory")
        .containsEntry("source", "/shop")
        .containsEntry("orderId", "order-1")
        .containsEntry("eventId", "evt-9");
  }
}
