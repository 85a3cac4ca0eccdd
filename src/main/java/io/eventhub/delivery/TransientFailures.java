package io.eventhub.delivery;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Decides whether a failed delivery is worth another try: timeouts, refused connections, 5xx,
 * 408 and 429 answers, serialization failures, deadlocks and lock timeouts are; a 4xx or bad data
 * is not and goes to the dead letter topic at once. Attempts are bounded by {@code
 * maxRedeliveries}.
 */
public class TransientFailures implements Predicate {

  private static final Set<String> RETRYABLE_SQL_STATES = Set.of("40001", "40P01", "55P03");

  private int maxRedeliveries = 5;

  public void setMaxRedeliveries(int maxRedeliveries) {
    this.maxRedeliveries = maxRedeliveries;
  }

  public int getMaxRedeliveries() {
    return maxRedeliveries;
  }

  @Override
  public boolean matches(Exchange exchange) {
    int done = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
    if (done >= maxRedeliveries) {
      return false;
    }
    Throwable failure = exchange.getException();
    if (failure == null) {
      failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
    return isTransient(failure);
  }

  /** Whether this failure, or one of its causes, is transient. */
  public static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HttpOperationFailedException http) {
        int status = http.getStatusCode();
        return status >= 500 || status == 408 || status == 429;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (RETRYABLE_SQL_STATES.contains(state) || state.startsWith("08")) {
          return true;
        }
      }
      if (t instanceof IOException) {
        return true;
      }
      if (t instanceof TransientException) {
        return true;
      }
    }
    return false;
  }
}
