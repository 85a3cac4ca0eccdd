package io.eventhub.orders;

import static io.eventhub.persistence.SqlFiles.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The refunds the order saga decided, waiting in the {@code refunds} table to be sent to the
 * payment service; each is sent until the service accepted it.
 */
public class Refunds {

  private final NamedParameterJdbcTemplate jdbc;
  private final ObjectMapper mapper;

  public Refunds(DataSource dataSource, ObjectMapper mapper) {
    this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    this.mapper = mapper;
  }

  /** The refund requests not yet accepted, oldest first. */
  public List<Map<String, Object>> unsent() {
    return jdbc.query(
        sql("orders/unsent-refunds"),
        Map.of(),
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

  public void failed(String paymentId) {
    jdbc.update(sql("orders/refund-failed"), Map.of("paymentId", paymentId));
  }
}
