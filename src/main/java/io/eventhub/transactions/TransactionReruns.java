package io.eventhub.transactions;

import io.eventhub.delivery.Backoff;
import io.eventhub.http.LogSafe;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.ExchangeHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a transacted route and, when the transaction ends in a conflict ({@link
 * TransactionConflicts}), runs it again whole: each run is a fresh copy of the exchange in a new
 * transaction, after an exponential backoff with jitter, up to {@code maxAttempts} runs. Retrying
 * inside the failed transaction cannot work (PostgreSQL answers 25P02 to anything after an error),
 * and Camel's redelivery cannot do it either: the transacted route's error handler marks the
 * failure as handled, so a caller's error handler neither redelivers nor dead-letters it.
 *
 * <p>On success the run's message and exchange properties become the exchange's. A failure that is
 * no conflict is handed back as it is, so the caller's error handler decides on it (retry, dead
 * letter). Conflicts left after the last run end as {@link TransactionConflictsExhausted}. Every
 * rerun is counted ({@code hub.transaction.reruns} by transaction, reason and SQL state in the
 * metrics) and logged: each at DEBUG, a summary at INFO at most every ten seconds, giving up at
 * WARN.
 */
public class TransactionReruns implements Processor, CamelContextAware {

  private static final Logger LOG = LoggerFactory.getLogger(TransactionReruns.class);
  private static final long SUMMARY_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private CamelContext camelContext;
  private ProducerTemplate template;
  private MeterRegistry meters;
  private String endpointUri;
  private String name;
  private int maxAttempts = 10;
  private Backoff backoff = new Backoff(5, 200, 0.5);
  private final Map<String, LongAdder> reruns = new ConcurrentHashMap<>();
  private final LongAdder exhausted = new LongAdder();
  private final AtomicLong lastSummary = new AtomicLong(System.nanoTime() - SUMMARY_EVERY_NANOS);

  @Override
  public void process(Exchange exchange) throws Exception {
    ProducerTemplate producer = producer();
    Exchange done =
        run(
            subject(exchange),
            () -> {
              Exchange run = ExchangeHelper.createCorrelatedCopy(exchange, false, true);
              producer.send(endpointUri, run);
              if (run.getException() != null) {
                throw run.getException();
              }
              return run;
            });
    exchange.getMessage().copyFrom(done.getMessage());
    exchange.getProperties().putAll(done.getProperties());
  }

  /**
   * Runs one transaction ({@code transaction} begins, works and commits or rolls back), again on
   * each conflict after the backoff, up to {@code maxAttempts} runs. The routes run it through
   * {@link #process}; the concurrency lab's plain JDBC runner calls it directly.
   */
  public <T> T run(String subject, Callable<T> transaction) throws Exception {
    Map<String, Integer> conflicts = new TreeMap<>();
    for (int attempt = 1; ; attempt++) {
      Exception failure;
      try {
        T result = transaction.call();
        if (attempt > 1) {
          LOG.debug("{} of {} committed at run {} after {}", name, subject, attempt, conflicts);
        }
        return result;
      } catch (Exception e) {
        failure = e;
      }
      String reason = TransactionConflicts.reasonOf(failure);
      if (reason == null) {
        throw failure;
      }
      conflicts.merge(reason, 1, Integer::sum);
      if (attempt >= maxAttempts) {
        exhausted.increment();
        count("hub.transaction.reruns.exhausted", null);
        LOG.warn("{} of {} gave up after {} runs: {}", name, subject, attempt, conflicts);
        throw new TransactionConflictsExhausted(
            name
                + " still conflicting after "
                + attempt
                + " runs "
                + conflicts
                + "; last: "
                + failure.getMessage());
      }
      reruns.computeIfAbsent(reason, r -> new LongAdder()).increment();
      count("hub.transaction.reruns", reason);
      summarize();
      long delay = backoff.delayMs(attempt);
      LOG.debug(
          "{} of {} rolled back on {} at run {}; running it again in {} ms",
          name,
          subject,
          reason,
          attempt,
          delay);
      Thread.sleep(delay);
    }
  }

  /** At most every ten seconds while conflicts happen: how many reruns so far, and why. */
  private void summarize() {
    long now = System.nanoTime();
    long last = lastSummary.get();
    if (now - last >= SUMMARY_EVERY_NANOS && lastSummary.compareAndSet(last, now)) {
      Map<String, Long> byReason = new TreeMap<>();
      reruns.forEach((reason, count) -> byReason.put(reason, count.sum()));
      LOG.info(
          "{}: {} transactions run again so far {}, {} gave up",
          name,
          reruns(),
          byReason,
          exhausted());
    }
  }

  /** How many reruns this bean made so far, all reasons together. */
  public long reruns() {
    return reruns.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** How many reruns this bean made so far for one reason (see {@link TransactionConflicts}). */
  public long reruns(String reason) {
    LongAdder count = reruns.get(reason);
    return count == null ? 0 : count.sum();
  }

  /** How many exchanges gave up after the last run. */
  public long exhausted() {
    return exhausted.sum();
  }

  private void count(String meter, String reason) {
    MeterRegistry registry = meters();
    if (registry == null) {
      return;
    }
    if (reason == null) {
      registry.counter(meter, "transaction", name).increment();
    } else {
      registry
          .counter(meter, "transaction", name, "reason", reason, "sql_state", sqlState(reason))
          .increment();
    }
  }

  /** Every rerun series of this transaction at zero, so that dashboards see them from the start. */
  public void describeMeters() {
    MeterRegistry registry = meters();
    if (registry == null || name == null) {
      return;
    }
    registry.counter("hub.transaction.reruns.exhausted", "transaction", name);
    for (String reason : TransactionConflicts.SQL_STATES.values()) {
      registry.counter(
          "hub.transaction.reruns",
          "transaction",
          name,
          "reason",
          reason,
          "sql_state",
          sqlState(reason));
    }
    registry.counter(
        "hub.transaction.reruns",
        "transaction",
        name,
        "reason",
        TransactionConflicts.OPTIMISTIC,
        "sql_state",
        sqlState(TransactionConflicts.OPTIMISTIC));
  }

  /** The PostgreSQL SQL state of a conflict's name; none for an optimistic conflict. */
  private static String sqlState(String reason) {
    return TransactionConflicts.SQL_STATES.entrySet().stream()
        .filter(e -> e.getValue().equals(reason))
        .map(java.util.Map.Entry::getKey)
        .findFirst()
        .orElse("none");
  }

  private static String subject(Exchange exchange) {
    Object event = exchange.getProperty("eventId");
    // the event id is the client's: escaped before it reaches a log line
    return event != null ? "event " + LogSafe.text(event) : "exchange " + exchange.getExchangeId();
  }

  private synchronized ProducerTemplate producer() {
    if (template == null) {
      if (endpointUri == null) {
        throw new IllegalStateException("transaction reruns need the endpointUri to run");
      }
      template = camelContext.createProducerTemplate();
      if (name == null) {
        name = endpointUri;
      }
    }
    return template;
  }

  /** The registry Camel's metrics use, when metrics are on. */
  private synchronized MeterRegistry meters() {
    if (meters == null && camelContext != null) {
      meters =
          camelContext.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
    }
    return meters;
  }

  public void setEndpointUri(String endpointUri) {
    this.endpointUri = endpointUri;
  }

  public void setName(String name) {
    this.name = name;
  }

  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = Math.max(1, maxAttempts);
  }

  /** The wait before a rerun: doubles each run up to the maximum, a random half of it is jitter. */
  public void setBackoff(long initialDelayMs, long maxDelayMs) {
    this.backoff = new Backoff(initialDelayMs, maxDelayMs, 0.5);
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  @Override
  public CamelContext getCamelContext() {
    return camelContext;
  }

  @Override
  public void setCamelContext(CamelContext camelContext) {
    this.camelContext = camelContext;
  }
}
