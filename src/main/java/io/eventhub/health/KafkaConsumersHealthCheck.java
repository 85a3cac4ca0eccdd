package io.eventhub.health;

import java.util.Map;
import org.apache.camel.component.kafka.KafkaClientFactory;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the routes' Kafka consumers: DOWN while one of them (made by {@link KafkaClients},
 * not closed) has not yet joined its consumer group, so the hub reports ready only once its
 * consumers take records. Camel's {@code consumer:<route>} checks say that each consumer is made
 * and subscribed; this one reads what each consumer noted after its last poll, without waiting for
 * any of them. A consumer that rejoins after a rebalance keeps its generation: no DOWN for that.
 */
public class KafkaConsumersHealthCheck extends AbstractHealthCheck {

  public KafkaConsumersHealthCheck() {
    super("hub", "kafka-consumers");
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    KafkaClientFactory factory =
        getCamelContext().getComponent("kafka", KafkaComponent.class).getKafkaClientFactory();
    if (!(factory instanceof KafkaClients clients)) {
      builder.message("the Kafka client factory is not the hub's: consumers not followed");
      builder.up();
      return;
    }
    int[] consumers = clients.consumers();
    builder.detail("consumers", consumers[0]);
    builder.detail("not.joined", consumers[1]);
    if (consumers[1] > 0) {
      builder.message(consumers[1] + " Kafka consumer(s) have not joined their group yet");
      builder.down();
    } else {
      builder.up();
    }
  }
}
