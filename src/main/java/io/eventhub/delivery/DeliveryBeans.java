package io.eventhub.delivery;

import io.eventhub.Settings;
import org.apache.camel.spi.Registry;

/**
 * The beans of the delivery conventions every consumer follows ({@code
 * routes/delivery-conventions.camel.yaml}): which failures are retried, and the dead letters.
 */
public final class DeliveryBeans {

  private DeliveryBeans() {}

  public static void bind(Registry registry, Settings settings) {
    TransientFailures transientFailures = new TransientFailures();
    transientFailures.setMaxRedeliveries(settings.integer("hub.retry.max-redeliveries"));
    registry.bind("transientFailures", transientFailures);
    registry.bind("deadLetters", new DeadLetters());
  }
}
