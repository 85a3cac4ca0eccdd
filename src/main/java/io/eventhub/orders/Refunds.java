package io.eventhub.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The refunds the order saga decided, waiting in the {@code refunds} table to be sent to the
 * payment service; each is sent until the service accepted it.
 */
public class Refunds {

  private final DataSource dataSource;
  private final ObjectMapper mapper;

  public Refunds(DataSource dataSource, ObjectMapper mapper) {
    this.dataSource = dataSource;
    this.mapper = mapper;
  }

  /** The refund requests not yet accepted, oldest first. */
  public List<Map<String, Object>> unsent() throws SQLException {
    return Transactions.run(
        dataSource,
        c -> {
          List<Map<String, Object>> refunds = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select payment_id, order_id, amount, reason from refunds where sent_at is null"
                      + " order by created_at limit 50")) {
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Map<String, Object> refund = new LinkedHashMap<>();
                refund.put("paymentId", rs.getString("payment_id"));
                refund.put("orderId", rs.getString("order_id"));
                refund.put("amount", amount(rs.getString("amount")));
                refund.put("reason", rs.getString("reason"));
                refunds.add(refund);
              }
            }
          }
          return refunds;
        });
  }

  private JsonNode amount(String json) {
    try {
      return json == null ? null : mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void sent(String paymentId) throws SQLException {
    Transactions.run(
        dataSource,
        c ->
            Transactions.update(
                c,
                "update refunds set sent_at = now(), attempts = attempts + 1 where payment_id = ?",
                paymentId));
  }

  public void failed(String paymentId) throws SQLException {
    Transactions.run(
        dataSource,
        c ->
            Transactions.update(
                c, "update refunds set attempts = attempts + 1 where payment_id = ?", paymentId));
  }
}
