package io.eventhub.transactions;

import java.sql.SQLException;
import java.util.Map;

/**
 * Which failures end a transaction that another run may complete: PostgreSQL's serialization
 * failure (40001), deadlock (40P01) and lock timeout (55P03), and optimistic conflicts. Each has a
 * short name used in logs and metrics.
 */
public final class TransactionConflicts {

  public static final String OPTIMISTIC = "optimistic_conflict";

  /** The retryable SQL states and their names: the one list, also used by TransientFailures. */
  public static final Map<String, String> SQL_STATES =
      Map.of(
          "40001", "serialization_failure",
          "40P01", "deadlock",
          "55P03", "lock_timeout");

  private TransactionConflicts() {}

  /** The conflict's name, or null when the failure (and each of its causes) is something else. */
  public static String reasonOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OptimisticConflict) {
        return OPTIMISTIC;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String reason = SQL_STATES.get(sql.getSQLState());
        if (reason != null) {
          return reason;
        }
      }
    }
    return null;
  }
}
