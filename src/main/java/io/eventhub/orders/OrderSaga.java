package io.eventhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.http.ProblemException;
import io.eventhub.intake.CloudEvents;
import io.eventhub.intake.EventCatalog;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order saga: an aggregator that correlates {@code OrderCreated}, {@code InventoryReserved} /
 * {@code InventoryRejected} and {@code PaymentSucceeded} / {@code PaymentFailed} by order id, in
 * whatever order they arrive, and decides {@code OrderConfirmed} or {@code OrderCancelled}.
 *
 * <p>Its state is the {@code orders} row, changed under a row lock in one transaction with the
 * inbox row, so two hub instances never both decide the same order. The decided outcome is kept on
 * the row until it is published (an outbox): a crash between commit and publish is healed when the
 * event is redelivered or by the relay.
 */
public class OrderSaga {

  /** An event the saga decided to publish. */
  public record Outcome(String id, String type, String orderId, ObjectNode data) {}

  static final String SERVICE = "order-saga";
  private static final Logger LOG = LoggerFactory.getLogger(OrderSaga.class);

  private final DataSource dataSource;
  private final ObjectMapper mapper;
  private final CloudEvents cloudEvents;
  private final EventCatalog catalog;
  private final Duration paymentTimeout;

  public OrderSaga(
      DataSource dataSource,
      ObjectMapper mapper,
      CloudEvents cloudEvents,
      EventCatalog catalog,
      Duration paymentTimeout) {
    this.dataSource = dataSource;
    this.mapper = mapper;
    this.cloudEvents = cloudEvents;
    this.catalog = catalog;
    this.paymentTimeout = paymentTimeout;
  }

  /** Applies the consumed event; the outcomes to publish (none, or the order's decision). */
  public List<Outcome> apply(Exchange exchange) throws SQLException, IOException {
    Message in = exchange.getMessage();
    String eventId = required(in.getHeader("ce_id", String.class), "ce_id");
    String type = required(in.getHeader("ce_type", String.class), "ce_type");
    JsonNode data = mapper.readTree(in.getBody(String.class));
    String orderId = required(data == null ? null : data.path("orderId").asText(null), "orderId");
    return Transactions.run(dataSource, c -> apply(c, eventId, type, orderId, data));
  }

  private List<Outcome> apply(
      Connection c, String eventId, String type, String orderId, JsonNode data)
      throws SQLException {
    if (!Transactions.recordInbox(c, SERVICE, eventId)) {
      // seen before: the decision may have been committed but never published
      OrderState state = OrderState.load(c, mapper, orderId, false);
      return state == null ? List.of() : unpublished(state);
    }
    Transactions.update(
        c, "insert into orders (order_id) values (?) on conflict do nothing", orderId);
    OrderState state = OrderState.load(c, mapper, orderId, true);
    String note = state.record(type, data, Instant.now().plus(paymentTimeout));
    Outcome outcome = state.decide(mapper);
    state.save(c, mapper);
    Transactions.update(
        c,
        "insert into order_timeline (order_id, event_id, type, applied, note) values (?, ?, ?, ?, ?)"
            + " on conflict do nothing",
        orderId,
        eventId,
        type,
        note == null,
        note);
    if (state.refundReason() != null) {
      requestRefund(c, state);
    }
    if (outcome != null) {
      LOG.info("Order {} {} ({})", orderId, state.status(), state.reason());
    }
    return outcome == null ? List.of() : List.of(outcome);
  }

  /**
   * Cancels the orders whose payment did not arrive in time (a paid order still waiting for its
   * stock decision is left alone); the outcomes to publish.
   */
  public List<Outcome> expireUnpaid() throws SQLException {
    return Transactions.run(
        dataSource,
        c -> {
          List<String> expired = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select order_id from orders where status in ('PENDING', 'RESERVED')"
                      + " and payment_deadline < now()"
                      // a paid order waits for its stock decision, whatever the deadline
                      + " and coalesce(payment->>'status', '') <> 'SUCCEEDED'"
                      + " order by payment_deadline limit 100 for update skip locked")) {
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                expired.add(rs.getString(1));
              }
            }
          }
          List<Outcome> outcomes = new ArrayList<>();
          for (String orderId : expired) {
            OrderState state = OrderState.load(c, mapper, orderId, true);
            Outcome outcome = state.cancel("PAYMENT_TIMEOUT", mapper);
            state.save(c, mapper);
            Transactions.update(
                c,
                "insert into order_timeline (order_id, event_id, type, applied, note)"
                    + " values (?, ?, 'PaymentTimeout', true, ?) on conflict do nothing",
                orderId,
                "timeout-" + orderId,
                "no payment within " + paymentTimeout);
            if (state.refundReason() != null) {
              requestRefund(c, state);
            }
            LOG.info("Order {} CANCELLED (PAYMENT_TIMEOUT)", orderId);
            outcomes.add(outcome);
          }
          return outcomes;
        });
  }

  /** Decided outcomes not yet published for longer than {@code ageMillis} (the relay's work). */
  public List<Outcome> unpublished(long ageMillis) throws SQLException {
    return Transactions.run(
        dataSource,
        c -> {
          List<Outcome> outcomes = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select order_id from orders where outcome_id is not null"
                      + " and outcome_published_at is null and updated_at < ? limit 100")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now().minusMillis(ageMillis)));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                OrderState state = OrderState.load(c, mapper, rs.getString(1), false);
                outcomes.addAll(unpublished(state));
              }
            }
          }
          return outcomes;
        });
  }

  private List<Outcome> unpublished(OrderState state) {
    Outcome outcome = state.outcome();
    return outcome == null || state.published() ? List.of() : List.of(outcome);
  }

  /** Makes the message the Kafka record of an outcome (the body). */
  public void toKafkaRecord(Exchange exchange) {
    Outcome outcome = exchange.getMessage().getBody(Outcome.class);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("id", outcome.id());
    attributes.put("type", outcome.type());
    attributes.put("source", "/hub/order-saga");
    attributes.put("time", Instant.now().toString());
    attributes.put("subject", outcome.orderId());
    exchange.setProperty("orderId", outcome.orderId());
    cloudEvents.writeRecord(
        exchange.getMessage(), attributes, catalog.route(outcome.type()), outcome.data());
  }

  public void markPublished(String orderId) throws SQLException {
    Transactions.run(
        dataSource,
        c ->
            Transactions.update(
                c,
                "update orders set outcome_published_at = now() where order_id = ?"
                    + " and outcome_published_at is null",
                orderId));
  }

  /** The order as {@code GET /api/orders/{id}} shows it. */
  public Map<String, Object> view(String orderId) throws SQLException {
    return Transactions.run(
        dataSource,
        c -> {
          OrderState state = OrderState.load(c, mapper, orderId, false);
          if (state == null) {
            throw new ProblemException(404, "Not Found", "No order " + orderId + " is known.");
          }
          Map<String, Object> view = state.view(mapper);
          view.put("timeline", timeline(c, orderId));
          return view;
        });
  }

  private static List<Map<String, Object>> timeline(Connection c, String orderId)
      throws SQLException {
    List<Map<String, Object>> events = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select event_id, type, applied, note, at from order_timeline where order_id = ?"
                + " order by at, event_id")) {
      ps.setString(1, orderId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> event = new LinkedHashMap<>();
          event.put("eventId", rs.getString("event_id"));
          event.put("type", rs.getString("type"));
          event.put("applied", rs.getBoolean("applied"));
          event.put("note", rs.getString("note"));
          event.put("at", rs.getTimestamp("at").toInstant().toString());
          events.add(event);
        }
      }
    }
    return events;
  }

  private void requestRefund(Connection c, OrderState state) throws SQLException {
    JsonNode payment = state.payment();
    Transactions.update(
        c,
        "insert into refunds (payment_id, order_id, amount, reason) values (?, ?, ?::jsonb, ?)"
            + " on conflict do nothing",
        payment.path("paymentId").asText(),
        state.orderId(),
        payment.path("amount").toString(),
        state.refundReason());
  }

  private static String required(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the event has no " + what);
    }
    return value;
  }
}
