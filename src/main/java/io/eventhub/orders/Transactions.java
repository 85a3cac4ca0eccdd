package io.eventhub.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Plain JDBC transactions for the saga: one connection, commit or roll back as a whole. */
final class Transactions {

  /** Work done inside one transaction. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private Transactions() {}

  static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** Runs a statement with bound parameters; the number of rows it changed. */
  static int update(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      return ps.executeUpdate();
    }
  }

  /** Records the event in the service's inbox; false when it was there already. */
  static boolean recordInbox(Connection c, String service, String eventId) throws SQLException {
    return update(
            c,
            "insert into inbox (service, event_id) values (?, ?) on conflict do nothing",
            service,
            eventId)
        == 1;
  }
}
