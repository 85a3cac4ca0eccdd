package io.eventhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.transactions.OptimisticConflict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** StockDecisions without a database: what follows each statement of the stock transactions. */
class StockDecisionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final StockDecisions decisions = new StockDecisions(new StockOutcomes(JSON));

  private static StockRequest request(String invalidReason, StockRequest.Line... lines) {
    return new StockRequest(
        "order-1", "evt-1", List.of(lines), "[{\"sku\":\"MUG\",\"quantity\":2}]", invalidReason);
  }

  private static StockRequest mugsAndCaps() {
    return request(null, new StockRequest.Line("CAP", 1), new StockRequest.Line("MUG", 2));
  }

  private static Map<String, Object> row(String sku, int available, long version) {
    return Map.of("sku", sku, "available", available, "version", version);
  }

  @Test
  void aNewValidOrderTakesStock() {
    assertThat(decisions.beforeStock(mugsAndCaps(), List.of())).isNull();
  }

  @Test
  void anOrderDecidedBeforeGetsTheStoredAnswerAgain() {
    Map<String, Object> stored =
        Map.of(
            "order_id", "order-1",
            "status", "RESERVED",
            "result_event_id", "inv-42",
            "result_type", "InventoryReserved",
            "result_time", "2026-12-01T10:00:00.000Z",
            "result_data", "{\"orderId\":\"order-1\"}");

    StockOutcome outcome = decisions.beforeStock(mugsAndCaps(), List.of(stored));

    assertThat(outcome.stored()).isTrue();
    assertThat(outcome.isReserved()).isTrue();
    assertThat(outcome.eventId()).isEqualTo("inv-42");
    assertThat(outcome.time()).isEqualTo("2026-12-01T10:00:00.000Z");
    assertThat(outcome.data()).isEqualTo("{\"orderId\":\"order-1\"}");
  }

  @Test
  void aStoredRejectionStaysARejection() {
    Map<String, Object> stored =
        Map.of(
            "order_id", "order-1",
            "status", "REJECTED",
            "reason", "OUT_OF_STOCK",
            "result_event_id", "inv-7",
            "result_type", "InventoryRejected",
            "result_time", "t",
            "result_data", "{}");

    StockOutcome outcome = decisions.beforeStock(mugsAndCaps(), List.of(stored));

    assertThat(outcome.stored()).isTrue();
    assertThat(outcome.status()).isEqualTo(StockOutcome.REJECTED);
    assertThat(outcome.reason()).isEqualTo("OUT_OF_STOCK");
  }

  @Test
  void anOrderCancelledBeforeItArrivedIsRejectedAndNothingIsTaken() throws Exception {
    StockOutcome outcome =
        decisions.beforeStock(
            mugsAndCaps(), List.of(Map.of("order_id", "order-1", "status", "CANCELLED")));

    assertThat(outcome.stored()).as("a new decision, to record").isFalse();
    assertThat(outcome.status()).isEqualTo(StockOutcome.REJECTED);
    assertThat(outcome.type()).isEqualTo("InventoryRejected");
    assertThat(outcome.reason()).isEqualTo("ORDER_CANCELLED");
    assertThat(JSON.readTree(outcome.data()).get("reason").asText()).isEqualTo("ORDER_CANCELLED");
  }

  @Test
  void cancelledBeforeWinsOverAnInvalidRequest() {
    StockOutcome outcome =
        decisions.beforeStock(
            request("INVALID_QUANTITY"),
            List.of(Map.of("order_id", "order-1", "status", "CANCELLED")));

    assertThat(outcome.reason()).isEqualTo("ORDER_CANCELLED");
  }

  @Test
  void anInvalidRequestIsRejectedWithItsReasonWithoutTouchingStock() {
    StockOutcome outcome = decisions.beforeStock(request("UNKNOWN_SKU"), List.of());

    assertThat(outcome.stored()).isFalse();
    assertThat(outcome.reason()).isEqualTo("UNKNOWN_SKU");
    assertThat(outcome.eventId()).startsWith("inv-");
  }

  @Test
  void everyLineAvailableIsTakenWithTheVersionsRead() {
    StockCheck check = decisions.check(mugsAndCaps(), List.of(row("CAP", 1, 4), row("MUG", 5, 9)));

    assertThat(check.isReserve()).isTrue();
    assertThat(check.lines())
        .containsExactly(new StockCheck.Line("CAP", 1, 4), new StockCheck.Line("MUG", 2, 9));
    StockOutcome outcome = decisions.afterStock(mugsAndCaps(), check);
    assertThat(outcome.isReserved()).isTrue();
    assertThat(outcome.type()).isEqualTo("InventoryReserved");
    assertThat(outcome.stored()).isFalse();
  }

  @Test
  void oneShortLineRejectsTheWholeOrder() {
    StockCheck check = decisions.check(mugsAndCaps(), List.of(row("CAP", 1, 4), row("MUG", 1, 9)));

    assertThat(check.isReserve()).isFalse();
    assertThat(check.reason()).isEqualTo("OUT_OF_STOCK");
    assertThat(check.lines()).as("nothing to take").isEmpty();
    assertThat(decisions.afterStock(mugsAndCaps(), check).reason()).isEqualTo("OUT_OF_STOCK");
  }

  @Test
  void aMissingRowIsAnUnknownSkuEvenWhenAnotherLineIsShort() {
    StockCheck check = decisions.check(mugsAndCaps(), List.of(row("MUG", 0, 1)));

    assertThat(check.reason()).isEqualTo("UNKNOWN_SKU");
  }

  @Test
  void atomicUpdatesTakeTheOrderOnlyWhenEveryLineMatched() {
    assertThat(decisions.afterConditionalUpdates(mugsAndCaps(), List.of(1, 1)).isReserve())
        .isTrue();
    StockCheck partly = decisions.afterConditionalUpdates(mugsAndCaps(), List.of(1, 0));
    assertThat(partly.isReserve()).isFalse();
    assertThat(partly.reason()).isEqualTo("OUT_OF_STOCK");
  }

  @Test
  void aConditionalUpdateThatMatchedNothingIsExplainedByTheRows() {
    assertThat(decisions.whyNotTaken(mugsAndCaps(), List.of(row("MUG", 0, 1))).reason())
        .isEqualTo("UNKNOWN_SKU");
    assertThat(
            decisions
                .whyNotTaken(mugsAndCaps(), List.of(row("CAP", 0, 1), row("MUG", 0, 1)))
                .reason())
        .isEqualTo("OUT_OF_STOCK");
  }

  @Test
  void aCompareAndSetThatMatchedNoRowIsAnOptimisticConflict() {
    decisions.versionMatched(1, Map.of("sku", "MUG", "version", 9L));

    assertThatThrownBy(() -> decisions.versionMatched(0, Map.of("sku", "MUG", "version", 9L)))
        .isInstanceOf(OptimisticConflict.class)
        .hasMessageContaining("MUG")
        .hasMessageContaining("9");
  }

  @Test
  void aDecisionRowNotWrittenMeansAnotherTransactionDecided() {
    StockOutcome outcome = decisions.beforeStock(request("INVALID_QUANTITY"), List.of());
    decisions.recorded(1, outcome);

    assertThatThrownBy(() -> decisions.recorded(0, outcome))
        .isInstanceOf(OptimisticConflict.class)
        .hasMessageContaining("order-1");
  }

  @Test
  void aReleaseRunsAgainOnlyWhenTheOrderWasReservedMeanwhile() {
    decisions.notReservedMeanwhile("order-1", List.of());
    decisions.notReservedMeanwhile("order-1", List.of(Map.of("status", "CANCELLED")));
    decisions.notReservedMeanwhile("order-1", List.of(Map.of("status", "REJECTED")));

    assertThatThrownBy(
            () -> decisions.notReservedMeanwhile("order-1", List.of(Map.of("status", "RESERVED"))))
        .isInstanceOf(OptimisticConflict.class);
  }

  @Test
  void theLockingStrategyMustBeOneThereIs() {
    assertThat(StockDecisions.checkLocking("atomic")).isEqualTo("atomic");
    assertThatThrownBy(() -> StockDecisions.checkLocking("magic"))
        .hasMessageContaining("pessimistic");
  }
}
