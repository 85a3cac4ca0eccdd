package io.eventhub.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.eventhub.reliability.Outages;
import io.eventhub.transactions.TransactionConflicts;
import java.io.IOException;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Decides whether a failed delivery is worth another try: timeouts, refused connections, 5xx, 408
 * and 429 answers, serialization failures, deadlocks and lock timeouts are; a 4xx or bad data is
 * not and goes to the dead letter topic at once. Attempts are bounded by {@code maxRedeliveries}.
 */
public class TransientFailures implements Predicate {

  /** Exchange property: how many times this exchange failed so far. */
  public static final String FAILURES = "hubFailures";

  private int maxRedeliveries = 5;

  public void setMaxRedeliveries(int maxRedeliveries) {
    this.maxRedeliveries = maxRedeliveries;
  }

  public int getMaxRedeliveries() {
    return maxRedeliveries;
  }

  @Override
  public boolean matches(Exchange exchange) {
    Throwable failure = failureOf(exchange);
    // PostgreSQL or the broker down: wait (the backoff) and try again, without spending the
    // event's budget, so nothing is dead-lettered because of an outage
    // (io.eventhub.reliability.Outages)
    if (isOutage(failure)) {
      return true;
    }
    // counted on the exchange, not in a header: routes may clear the message headers
    int failures = exchange.getProperty(FAILURES, 0, Integer.class) + 1;
    exchange.setProperty(FAILURES, failures);
    return failures <= maxRedeliveries && isTransient(failure);
  }

  /**
   * Whether the failure that brought the exchange to the dead letter route happened because the hub
   * is stopping: the hub's context stops and the failure is one another attempt may fix (an outside
   * service, or this hub's own endpoint, refusing while it stops). Such a record is not a dead
   * letter: the dead letter route fails it instead, so its offset stays uncommitted and the record
   * is taken again after the restart.
   */
  public boolean cutByStop(Exchange exchange) {
    Throwable failure = failureOf(exchange);
    return exchange.getContext().isStopping() && (isOutage(failure) || isTransient(failure));
  }

  /** The failure being handled: on the exchange, or caught by the error handler. */
  private static Throwable failureOf(Exchange exchange) {
    Throwable failure = exchange.getException();
    return failure != null
        ? failure
        : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
  }

  private static boolean isOutage(Throwable failure) {
    return Outages.isDatabaseOutage(failure) || Outages.isBrokerOutage(failure);
  }

  /** How many times the exchange was tried (at least once), as header text. */
  public static String attempts(Exchange exchange) {
    return String.valueOf(Math.max(1, exchange.getProperty(FAILURES, 0, Integer.class)));
  }

  /** Whether this failure, or one of its causes, is transient. */
  public static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException) {
        return false;
      }
      if (t instanceof HttpOperationFailedException http) {
        int status = http.getStatusCode();
        return status >= 500 || status == 408 || status == 429;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // a conflict another run may not meet (TransactionConflicts), or a lost connection
        if (TransactionConflicts.SQL_STATES.containsKey(state) || state.startsWith("08")) {
          return true;
        }
      }
      if (t instanceof IOException) {
        return true;
      }
      if (t instanceof TransientException
          || t instanceof org.apache.kafka.common.errors.RetriableException) {
        return true;
      }
    }
    return false;
  }
}
