package io.eventhub.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the hub's PostgreSQL for {@code /observe/health}: a new connection (not one from the
 * pool, which would wait for its own timeout) runs {@code select 1} within {@code timeoutSeconds}.
 * DOWN within seconds of an outage, UP again as soon as the server answers. Readiness only: a
 * database outage makes the hub not ready, it does not make it a process to restart.
 */
public class DatabaseHealthCheck extends AbstractHealthCheck {

  private final String url;
  private final Properties connection = new Properties();
  private final int timeoutSeconds;

  public DatabaseHealthCheck(String url, String user, String password, int timeoutSeconds) {
    super("hub", "database");
    this.url = url;
    this.timeoutSeconds = timeoutSeconds;
    connection.setProperty("user", user);
    connection.setProperty("password", password);
    connection.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
    connection.setProperty("socketTimeout", String.valueOf(timeoutSeconds));
    connection.setProperty("loginTimeout", String.valueOf(timeoutSeconds));
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    try (Connection c = DriverManager.getConnection(url, connection);
        Statement s = c.createStatement()) {
      s.setQueryTimeout(timeoutSeconds);
      s.execute("select 1");
      builder.up();
    } catch (SQLException e) {
      builder.message("PostgreSQL does not answer: " + e.getMessage());
      builder.detail("sqlState", e.getSQLState());
      builder.down();
    }
  }
}
