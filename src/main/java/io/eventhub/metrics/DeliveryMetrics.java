package io.eventhub.metrics;

import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts what each service's Kafka consumer does with each record, keyed by the exchange property
 * {@code hubService} the consumer templates set (routes/consumer-templates.camel.yaml), with the
 * record's event type once the type check passed it ({@code unknown} otherwise):
 *
 * <ul>
 *   <li>{@code hub.events.processed}: handled, not a duplicate, not failed;
 *   <li>{@code hub.events.duplicates}: skipped because the service's inbox had it ({@code
 *       CamelDuplicateMessage}, set by the idempotent consumer);
 *   <li>{@code hub.events.retried}: each redelivery attempt;
 *   <li>{@code hub.events.failed}: failed after its retries (or at once, when not transient);
 *   <li>{@code hub.events.dead.lettered}: of those, the ones the dead letter topic took;
 *   <li>{@code hub.events.processing}: the time from consumption to the end, retries included.
 * </ul>
 *
 * A record of a type another route of the topic handles is not counted. Nothing in the routes
 * changes: this listens to Camel's exchange events.
 */
final class DeliveryMetrics extends EventNotifierSupport {

  static final String SERVICE = "hubService";
  static final String TYPE = "hubEventType";
  private static final String HANDLED = "eventHandled";

  private final HubMeters meters;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  DeliveryMetrics(HubMeters meters) {
    this.meters = meters;
    setIgnoreCamelContextEvents(true);
    setIgnoreCamelContextInitEvents(true);
    setIgnoreRouteEvents(true);
    setIgnoreServiceEvents(true);
    setIgnoreStepEvents(true);
    setIgnoreExchangeSendingEvents(true);
    setIgnoreExchangeSentEvents(true);
    setIgnoreExchangeAsyncProcessingStartedEvents(true);
  }

  @Override
  public boolean isEnabled(CamelEvent event) {
    return event instanceof CamelEvent.ExchangeCreatedEvent
        || event instanceof CamelEvent.ExchangeRedeliveryEvent
        || event instanceof CamelEvent.ExchangeCompletedEvent
        || event instanceof CamelEvent.ExchangeFailedEvent;
  }

  @Override
  public void notify(CamelEvent event) {
    Exchange exchange = ((ExchangeEvent) event).getExchange();
    if (event instanceof CamelEvent.ExchangeCreatedEvent) {
      // the type as consumed: later steps may drop the ce_* headers
      Object type = exchange.getMessage().getHeader("ce_type");
      if (type != null
          && exchange.getFromEndpoint() != null
          && exchange.getFromEndpoint().getEndpointUri().startsWith("kafka:")) {
        exchange.setProperty(TYPE, type);
      }
      return;
    }
    String service = exchange.getProperty(SERVICE, String.class);
    // a copy (a transaction's rerun, a split part) carries the property too: only the record's own
    if (service == null || exchange.getProperty(ExchangePropertyKey.CORRELATION_ID) != null) {
      return;
    }
    Object handled = exchange.getProperty(HANDLED);
    // a type the check did not pass is not named: tags stay bounded
    String type = handled == null ? "unknown" : exchange.getProperty(TYPE, "unknown", String.class);
    if (event instanceof CamelEvent.ExchangeRedeliveryEvent) {
      meters.count(HubMeters.RETRIED, service, type);
      return;
    }
    // the dead letter channel handled it, and its send to the DLQ succeeded
    boolean deadLettered =
        exchange.getExchangeExtension().isFailureHandled() && exchange.getException() == null;
    if (exchange.getException() != null || deadLettered) {
      meters.count(HubMeters.FAILED, service, type);
      if (deadLettered) {
        meters.count(HubMeters.DEAD_LETTERED, service, type);
      }
    } else if (Boolean.FALSE.equals(handled)) {
      // another route of the topic handles this type
      return;
    } else if (Boolean.TRUE.equals(exchange.getProperty(ExchangePropertyKey.DUPLICATE_MESSAGE))) {
      meters.count(HubMeters.DUPLICATES, service, type);
    } else {
      meters.count(HubMeters.PROCESSED, service, type);
    }
    Timer timer = timers.computeIfAbsent(service, meters::processing);
    if (timer != null) {
      timer.record(exchange.getClock().elapsed(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Every series of the services' consumers at zero, so that dashboards see them from the start.
   */
  void describe(Iterable<ConsumerRoutes.Consumer> consumers) {
    for (ConsumerRoutes.Consumer consumer : consumers) {
      for (String type : consumer.types()) {
        for (String name :
            new String[] {
              HubMeters.PROCESSED,
              HubMeters.FAILED,
              HubMeters.RETRIED,
              HubMeters.DEAD_LETTERED,
              HubMeters.DUPLICATES
            }) {
          meters.event(name, consumer.service(), type);
        }
      }
      timers.computeIfAbsent(consumer.service(), meters::processing);
    }
  }
}
