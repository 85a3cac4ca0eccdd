package io.eventhub.reliability;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Whether a failure means an engine the hub needs is down, rather than that this event failed: no
 * connection to PostgreSQL (none in the pool, refused, lost, the server shutting down or starting).
 * A consumer then waits and tries again without spending the event's retry budget, so nothing is
 * dead-lettered because PostgreSQL was down; HTTP answers 503 with {@code Retry-After}.
 */
public final class Outages {

  /**
   * PostgreSQL's states for a server going down or not yet up (class 08 is any connection loss).
   */
  private static final Set<String> SERVER_DOWN = Set.of("57P01", "57P02", "57P03");

  private static final String CLOSED = "Connection is closed";

  private Outages() {}

  public static boolean isDatabaseOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || SERVER_DOWN.contains(state)) {
          return true;
        }
      }
      // the pool's closed connection (HikariCP gives it no SQLState)
      if (t instanceof SQLException sql && CLOSED.equals(sql.getMessage())) {
        return true;
      }
      // Spring's words for "no connection", and for a commit or rollback that failed (the
      // connection went away under the transaction)
      String name = t.getClass().getName();
      if (name.equals("org.springframework.jdbc.CannotGetJdbcConnectionException")
          || name.equals("org.springframework.transaction.CannotCreateTransactionException")
          || name.equals("org.springframework.transaction.TransactionSystemException")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Whether the broker could not be reached in time (a producer's send or metadata timed out). */
  public static boolean isBrokerOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof org.apache.kafka.common.errors.TimeoutException
          || t instanceof org.apache.kafka.common.errors.NotEnoughReplicasException
          || t instanceof org.apache.kafka.common.errors.DisconnectException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
