package io.eventhub.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.camel.spi.Registry;

/**
 * The hub's own series, all named {@code hub.*} (Prometheus: {@code hub_*}), on the one registry
 * Camel's metrics use ({@code metricsRegistry}, scraped at {@code /observe/metrics}). Every tag
 * takes a bounded set of values: services and event types come from the routes and the catalog,
 * never from a record as it is.
 */
public final class HubMeters {

  /** The name the registry is bound under; camel-micrometer-prometheus uses the bound one. */
  public static final String REGISTRY = "metricsRegistry";

  public static final String PROCESSED = "hub.events.processed";
  public static final String FAILED = "hub.events.failed";
  public static final String RETRIED = "hub.events.retried";
  public static final String DEAD_LETTERED = "hub.events.dead.lettered";
  public static final String DUPLICATES = "hub.events.duplicates";
  public static final String PROCESSING = "hub.events.processing";
  public static final String LAG = "hub.consumer.lag";
  public static final String DLQ_PENDING = "hub.dlq.pending";
  public static final String PENDING = "hub.aggregations.pending";
  public static final String VERIFICATIONS = "hub.callbacks.verifications";
  public static final String INTAKE = "hub.intake.requests";

  private final MeterRegistry registry;

  public HubMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The hub's meters in this Camel registry, or none (a registry without them counts nothing). */
  public static HubMeters of(Registry registry) {
    HubMeters meters = registry.lookupByNameAndType("hubMeters", HubMeters.class);
    return meters != null ? meters : new HubMeters(null);
  }

  /** One of the per-service event counters ({@link #PROCESSED}, {@link #FAILED}, ...). */
  public Counter event(String name, String service, String type) {
    return registry == null
        ? null
        : registry.counter(name, "service", service, "type", type == null ? "unknown" : type);
  }

  public void count(String name, String service, String type) {
    Counter counter = event(name, service, type);
    if (counter != null) {
      counter.increment();
    }
  }

  /** A service's processing time, a histogram with percentile buckets from 1 ms to 2 min. */
  public Timer processing(String service) {
    return registry == null
        ? null
        : Timer.builder(PROCESSING)
            .description("Time from a record's consumption to its commit, retries included")
            .tag("service", service)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(2))
            .register(registry);
  }

  /**
   * Counts a signed callback's verification by outcome: {@code verified}, {@code unverified} (401),
   * {@code malformed} (400), {@code too_large} (413).
   */
  public Consumer<String> callbackOutcomes(String callback) {
    if (registry == null) {
      return outcome -> {};
    }
    for (String outcome : new String[] {"verified", "unverified", "malformed", "too_large"}) {
      registry.counter(VERIFICATIONS, "callback", callback, "outcome", outcome);
    }
    return outcome ->
        registry.counter(VERIFICATIONS, "callback", callback, "outcome", outcome).increment();
  }

  /** An intake request's answer: the event type (or batch, or unknown) and the status code. */
  public void intake(String type, int status) {
    if (registry != null) {
      registry.counter(INTAKE, "type", type, "status", String.valueOf(status)).increment();
    }
  }
}
