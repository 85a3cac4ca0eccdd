package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventhub.support.FakeService;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.Stock;
import io.eventhub.support.TestEngines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Orders that are never paid, on the real engines: each test runs the hubs it needs (no other hub
 * shares their consumer groups meanwhile), with a payment timeout of seconds.
 */
class OrderTimeoutsIT extends OrderStoryTestBase {

  @BeforeAll
  static void engines() {
    TestEngines.start();
    outside = new FakeService();
  }

  @Test
  void noPaymentInTimeCancelsTheOrderAndReleasesItsStock() throws Exception {
    try (HubRunner only = new HubRunner(properties("3s"))) {
      hub = only;
      Skus skus = stocked(10);
      String orderId = postOrder(skus);

      JsonNode order = awaitStatus(orderId, "CANCELLED");
      assertThat(order.get("reason").asText()).isEqualTo("PAYMENT_TIMEOUT");
      assertThat(order.get("inventory").asText()).isEqualTo("RESERVED");
      awaitOutcomePublished(orderId, "OrderCancelled", "PAYMENT_TIMEOUT");
      await().atMost(WAIT).until(() -> stock(skus.first()).equals("10/0"));
    } finally {
      hub = null;
    }
  }

  @Test
  void anOrderWaitingWhenTheHubStopsTimesOutAfterTheRestart() throws Exception {
    Skus skus;
    String orderId;
    try (HubRunner first = new HubRunner(properties("12s"))) {
      hub = first;
      skus = stocked(10);
      orderId = postOrder(skus);
      await().atMost(WAIT).until(() -> statusOf(first, orderId).equals("RESERVED"));
    }
    // the hub is gone while the order waits for its payment
    assertThat(Stock.query("select status from orders where order_id = ?", orderId))
        .as("still waiting when the hub stopped")
        .containsExactly(Map.of("status", "RESERVED"));

    try (HubRunner restarted = new HubRunner(properties("12s"))) {
      hub = restarted;
      await().atMost(WAIT).until(() -> statusOf(restarted, orderId).equals("CANCELLED"));
      assertThat(orderOf(orderId).get("reason").asText()).isEqualTo("PAYMENT_TIMEOUT");
      await().atMost(WAIT).until(() -> stock(skus.first()).equals("10/0"));
    } finally {
      hub = null;
    }
  }

  @Test
  void twoHubInstancesTimeOutEachOrderOnce() throws Exception {
    List<String> orders = new ArrayList<>();
    try (HubRunner one = new HubRunner(properties("3s"));
        HubRunner two = new HubRunner(properties("3s"))) {
      hub = one;
      Skus skus = stocked(100);
      for (int i = 0; i < 20; i++) {
        orders.add(postOrder(i % 2 == 0 ? one : two, skus));
      }
      for (String orderId : orders) {
        await().atMost(WAIT).until(() -> statusOf(orderId).equals("CANCELLED"));
      }
    } finally {
      hub = null;
    }
    Map<String, Integer> cancellations = new HashMap<>();
    for (ConsumerRecord<String, String> record : KafkaProbe.readAll("orders.events")) {
      if ("OrderCancelled".equals(KafkaProbe.header(record, "ce_type"))
          && orders.contains(record.key())) {
        cancellations.merge(record.key(), 1, Integer::sum);
      }
    }
    assertThat(cancellations)
        .hasSize(orders.size())
        .allSatisfy((order, count) -> assertThat(count).isOne());
  }
}
