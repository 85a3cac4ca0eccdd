package io.eventhub.delivery;

import io.eventhub.Settings;
import org.apache.camel.LoggingLevel;
import org.apache.camel.spi.Registry;

/**
 * The beans of the delivery conventions every consumer follows ({@code
 * routes/delivery-conventions.camel.yaml}, {@code routes/consumer-templates.camel.yaml}): which
 * failures are retried, how long to wait between retries, and the dead letters.
 */
public final class DeliveryBeans {

  private DeliveryBeans() {}

  public static void bind(Registry registry, Settings settings) {
    TransientFailures transientFailures = new TransientFailures();
    transientFailures.setMaxRedeliveries(settings.integer("hub.retry.max-redeliveries"));
    registry.bind("transientFailures", transientFailures);
    registry.bind("deadLetters", new DeadLetters());
    // the waits between retries: the hub's one backoff (io.eventhub.delivery.Backoff)
    BackoffRedeliveryPolicy backoff = new BackoffRedeliveryPolicy();
    backoff.setRedeliveryDelay(settings.longValue("hub.retry.initial-delay-ms"));
    backoff.setMaximumRedeliveryDelay(settings.longValue("hub.retry.max-delay-ms"));
    // a retry is an INFO line; a record that fails for good is one WARN line, written by the
    // dead-letter route (io.eventhub.logs.FailureLog), so the error handler logs no exhaustion
    backoff.setRetryAttemptedLogLevel(LoggingLevel.INFO);
    backoff.setLogRetryStackTrace(false);
    backoff.setLogExhausted(false);
    backoff.setLogStackTrace(false);
    registry.bind("deliveryBackoff", backoff);
    // the consumer templates' step that leaves an event as it is
    registry.bind("records", new Records());
  }
}
