package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.delivery.DeadLetterTopics;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * The dead letter topics are derived from the consumer routes, <topic>.<service>.dlq for every
 * topic each service consumes, and exist on the broker once the hub has started.
 */
class DeadLetterTopicsIT {

  @Test
  void everyConsumerRouteHasItsDeadLetterTopicCreatedAtStart() throws Exception {
    TestEngines.start();
    try (HubRunner hub = new HubRunner(Map.of())) {
      Set<String> derived = DeadLetterTopics.of(hub.context());

      assertThat(derived)
          .containsExactlyInAnyOrder(
              "orders.events.shipping.dlq",
              "orders.events.inventory.dlq",
              "orders.events.order-saga.dlq",
              "inventory.events.order-saga.dlq",
              "payments.events.order-saga.dlq",
              "users.events.notification.dlq",
              "users.events.recommendation.dlq",
              "users.events.analytics.dlq",
              "users.events.cache-sync.dlq");
      Properties admin = new Properties();
      admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers());
      try (Admin kafka = Admin.create(admin)) {
        assertThat(kafka.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(derived);
      }
    }
  }
}
