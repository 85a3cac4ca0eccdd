package io.eventhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.delivery.TransientFailures;
import io.eventhub.http.Problems;
import io.eventhub.support.TestEngines;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * PostgreSQL down: the health check says DOWN within seconds, HTTP answers 503 with Retry-After,
 * and a consumer waits and retries without spending its retry budget (no dead letter).
 */
class DatabaseOutageTest {

  private static final SQLException REFUSED =
      new SQLTransientConnectionException(
          "hub-db - Connection is not available, request timed out after 5000ms.",
          "08001",
          new SQLException("Connection to localhost:5432 refused.", "08001"));

  @Test
  void theHealthCheckIsDownWithinSecondsWhenNothingAnswers() {
    DatabaseHealthCheck check =
        new DatabaseHealthCheck(
            "jdbc:postgresql://127.0.0.1:" + TestEngines.freePort() + "/postgres",
            "postgres",
            "",
            2);
    check.setCamelContext(new DefaultCamelContext());
    long started = System.nanoTime();
    HealthCheck.Result result = check.call();
    assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5000);
    assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("PostgreSQL"));
    assertThat(check.isReadiness()).isTrue();
    assertThat(check.isLiveness()).as("an outage is no reason to restart the hub").isFalse();
  }

  @Test
  void theHealthCheckIsUpWhenPostgresAnswers() {
    TestEngines.startPostgres();
    DatabaseHealthCheck check = new DatabaseHealthCheck(TestEngines.jdbcUrl(), "postgres", "", 2);
    check.setCamelContext(new DefaultCamelContext());
    assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
  }

  @Test
  void anHttpRequestDuringAnOutageIsAnswered503WithRetryAfter() throws Exception {
    CamelContext context = new DefaultCamelContext();
    Exchange exchange = new DefaultExchange(context);
    exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/api/events");
    exchange.setProperty(
        Exchange.EXCEPTION_CAUGHT, new CannotGetJdbcConnectionException("no connection", REFUSED));

    new Problems(new ObjectMapper()).render(exchange);

    assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
    assertThat(exchange.getMessage().getHeader("Retry-After")).isEqualTo("5");
    assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE))
        .isEqualTo("application/problem+json");
    Map<?, ?> body =
        new ObjectMapper().readValue(exchange.getMessage().getBody(String.class), Map.class);
    assertThat(body.get("status")).isEqualTo(503);
    assertThat(body.get("title")).isEqualTo("Service Unavailable");
  }

  @Test
  void aConsumerWaitsOutAnOutageWithoutSpendingItsRetryBudget() {
    TransientFailures failures = new TransientFailures();
    failures.setMaxRedeliveries(2);
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    exchange.setException(new CannotGetJdbcConnectionException("no connection", REFUSED));
    for (int i = 0; i < 50; i++) {
      assertThat(failures.matches(exchange)).as("attempt " + i + " during the outage").isTrue();
    }
    assertThat(TransientFailures.attempts(exchange)).as("budget untouched").isEqualTo("1");
    // the database is back, and the event itself fails: the budget applies as before
    exchange.setException(new IllegalArgumentException("not an order"));
    assertThat(failures.matches(exchange)).isFalse();
  }

  @Test
  void aLostConnectionIsAnOutageButAConflictIsNot() {
    assertThat(Outages.isDatabaseOutage(new SQLException("terminating connection", "57P01")))
        .isTrue();
    assertThat(Outages.isDatabaseOutage(new SQLException("I/O error", "08006"))).isTrue();
    assertThat(
            Outages.isDatabaseOutage(
                new org.springframework.transaction.TransactionSystemException(
                    "JDBC rollback failed", new SQLException("Connection is closed"))))
        .as("the pool's connection closed under a transaction (seen in the fault suite)")
        .isTrue();
    assertThat(Outages.isDatabaseOutage(new SQLException("serialization", "40001"))).isFalse();
    assertThat(Outages.isDatabaseOutage(new IllegalStateException("x"))).isFalse();
  }
}
