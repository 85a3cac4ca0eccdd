package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.delivery.DeadLetterTopics;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer routes as the hub runs them: each service consumes in a group of its own, and the
 * dead letter topics, <topic>.<service>.dlq for every topic each service consumes, are derived from
 * the routes and exist on the broker once the hub has started.
 */
class DeadLetterTopicsIT {

  private static HubRunner hub;

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    hub = new HubRunner(Map.of());
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
  }

  @Test
  void everyConsumerRouteHasItsDeadLetterTopicCreatedAtStart() throws Exception {
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
            "users.events.cache-sync.dlq",
            "files.events.file-tasks.dlq",
            "files.tasks.file-processor.dlq",
            "chat.events.moderation.dlq",
            "chat.events.live-delivery.dlq",
            "chat.events.push.dlq");
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers());
    try (Admin kafka = Admin.create(admin)) {
      assertThat(kafka.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(derived);
    }
  }

  @Test
  void templatedRoutesConsumeInTheirServicesGroup() {
    assertThat(groupOf("shipping-on-order-created")).isEqualTo("shipping");
    assertThat(groupOf("notification-on-user-profile-updated")).isEqualTo("notification");
    assertThat(groupOf("recommendation-on-user-profile-updated")).isEqualTo("recommendation");
    assertThat(groupOf("analytics-on-user-profile-updated")).isEqualTo("analytics");
    assertThat(groupOf("cache-sync-on-user-profile-updated"))
        .isEqualTo(hub.context().resolvePropertyPlaceholders("{{hub.cache.sync.group-id}}"));
    assertThat(groupOf("moderation-on-chat-message-sent")).isEqualTo("moderation");
    assertThat(groupOf("push-on-chat-message-moderated")).isEqualTo("push");
    // live delivery: a group of each instance's own
    assertThat(groupOf("live-delivery-on-chat-message-moderated"))
        .startsWith("chat-live.")
        .isEqualTo(hub.context().resolvePropertyPlaceholders("{{hub.chat.live.group-id}}"));
  }

  private static String groupOf(String routeId) {
    KafkaEndpoint endpoint = (KafkaEndpoint) hub.context().getRoute(routeId).getEndpoint();
    return endpoint.getConfiguration().getGroupId();
  }
}
