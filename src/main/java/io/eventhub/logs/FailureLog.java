package io.eventhub.logs;

import io.eventhub.http.LogSafe;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one log line of a record that failed for good: it went to its dead letter topic. One WARN
 * line, with the event id, type, service, origin, attempts and reason, as the message text and as
 * key-value pairs (fields of their own in the JSON format); the stack trace only at DEBUG (logger
 * {@code io.eventhub.logs.FailureLog}). Every value is escaped ({@link LogSafe}): a client's id can
 * never start a line of its own. The reason is the one the dead letter carries ({@code
 * hub_dlq_reason}), which never quotes the record's content.
 */
public class FailureLog {

  private static final Logger LOG = LoggerFactory.getLogger(FailureLog.class);

  /** Logs the dead letter the exchange is about to become (the dead-letter route). */
  public void deadLettered(Exchange exchange) {
    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    String eventId = first(exchange, "eventId", "ce_id");
    String type = first(exchange, "eventType", "ce_type");
    String service = exchange.getProperty("hubService", String.class);
    String topic = exchange.getMessage().getHeader(KafkaConstants.TOPIC, String.class);
    String attempts = exchange.getMessage().getHeader("hub_dlq_attempts", String.class);
    String reason = exchange.getMessage().getHeader("hub_dlq_reason", String.class);
    String exception = failure == null ? "none" : failure.getClass().getSimpleName();
    LOG.atWarn()
        .addKeyValue("eventId", LogSafe.text(eventId))
        .addKeyValue("eventType", LogSafe.text(type))
        .addKeyValue("service", LogSafe.text(service))
        .addKeyValue("topic", LogSafe.text(topic))
        .addKeyValue("attempts", attempts)
        .addKeyValue("reason", LogSafe.text(reason))
        .log(
            "Dead letter: event {} of type {} for {} from {} after {} attempts: {}: {}",
            LogSafe.text(eventId),
            LogSafe.text(type),
            LogSafe.text(service),
            LogSafe.text(topic),
            attempts,
            exception,
            LogSafe.text(reason));
    if (failure != null && LOG.isDebugEnabled()) {
      LOG.debug("Dead letter: event {}: the failure", LogSafe.text(eventId), failure);
    }
  }

  /** The exchange property, or the header when the record failed before it was read. */
  private static String first(Exchange exchange, String property, String header) {
    String value = exchange.getProperty(property, String.class);
    return value != null ? value : exchange.getMessage().getHeader(header, String.class);
  }
}
