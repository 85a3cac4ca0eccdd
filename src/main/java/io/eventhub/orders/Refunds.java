package io.eventhub.orders;

import static io.eventhub.persistence.SqlFiles.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.http.LogSafe;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The refunds the order saga decided, waiting in the {@code refunds} table to be sent to the
 * payment service. The relay claims the due ones (SKIP LOCKED, with a lease: one instance sends
 * each); a refund not accepted waits twice as long before each next attempt, up to a cap, and after
 * {@code maxAttempts} it is given up: a dead letter in the table ({@code dead_at}, {@code
 * last_error}), logged as an error, for an operator.
 */
public class Refunds {

  private static final Logger LOG = LoggerFactory.getLogger(Refunds.class);

  private final NamedParameterJdbcTemplate jdbc;
  private final ObjectMapper mapper;
  private final long leaseMillis;
  private final long initialDelayMillis;
  private final long maxDelayMillis;
  private final int maxAttempts;

  public Refunds(
      DataSource dataSource,
      ObjectMapper mapper,
      long leaseMillis,
      long initialDelayMillis,
      long maxDelayMillis,
      int maxAttempts) {
    this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    this.mapper = mapper;
    this.leaseMillis = leaseMillis;
    this.initialDelayMillis = initialDelayMillis;
    this.maxDelayMillis = maxDelayMillis;
    this.maxAttempts = maxAttempts;
  }

  /** The refund requests due now, oldest first, leased to this instance. */
  public List<Map<String, Object>> unsent() {
    return jdbc.query(
        sql("orders/unsent-refunds"),
        Map.of("leaseMs", leaseMillis),
        (rs, n) -> {
          Map<String, Object> refund = new LinkedHashMap<>();
          refund.put("paymentId", rs.getString("payment_id"));
          refund.put("orderId", rs.getString("order_id"));
          refund.put("amount", amount(rs.getString("amount")));
          refund.put("reason", rs.getString("reason"));
          return refund;
        });
  }

  private JsonNode amount(String json) {
    try {
      return json == null ? null : mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void sent(String paymentId) {
    jdbc.update(sql("orders/refund-sent"), Map.of("paymentId", paymentId));
  }

  /** Not accepted this time: tried again after the backoff, or given up after the last attempt. */
  public void failed(String paymentId, String error) {
    Map<String, Object> p = new HashMap<>();
    p.put("paymentId", paymentId);
    p.put("error", error);
    p.put("initialMs", initialDelayMillis);
    p.put("maxMs", maxDelayMillis);
    p.put("maxAttempts", maxAttempts);
    List<Boolean> dead = jdbc.queryForList(sql("orders/refund-failed"), p, Boolean.class);
    if (!dead.isEmpty() && dead.get(0)) {
      LOG.error(
          "Refund of payment {} given up after {} attempts: a dead letter in the refunds table"
              + " (dead_at, last_error); set next_attempt_at and dead_at = null to send it again",
          LogSafe.text(paymentId),
          maxAttempts);
    }
  }
}
