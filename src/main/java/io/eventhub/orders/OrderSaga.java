package io.eventhub.orders;

import static io.eventhub.persistence.SqlFiles.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.delivery.EventIdentity;
import io.eventhub.delivery.MalformedEventException;
import io.eventhub.http.LogSafe;
import io.eventhub.http.ProblemException;
import io.eventhub.intake.CloudEvents;
import io.eventhub.intake.EventCatalog;
import io.eventhub.json.StrictJson;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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

  /**
   * The source of the saga's outcomes. Their ids are one per decision ({@code
   * order-saga-<orderId>-confirmed|cancelled}), so a decision published again has the same id; they
   * are the hub's because of this source, which intake refuses from clients.
   */
  static final String SOURCE = EventIdentity.hubSource("order-saga");

  private static final Logger LOG = LoggerFactory.getLogger(OrderSaga.class);

  private final NamedParameterJdbcTemplate jdbc;
  private final TransactionTemplate transaction;
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
    this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.mapper = mapper;
    this.cloudEvents = cloudEvents;
    this.catalog = catalog;
    this.paymentTimeout = paymentTimeout;
  }

  /** Applies the consumed event; the outcomes to publish (none, or the order's decision). */
  public List<Outcome> apply(Exchange exchange) throws IOException {
    Message in = exchange.getMessage();
    String eventId = required(in.getHeader("ce_id", String.class), "ce_id");
    String source = required(in.getHeader("ce_source", String.class), "ce_source");
    String type = required(in.getHeader("ce_type", String.class), "ce_type");
    JsonNode data;
    try {
      data = mapper.readTree(in.getBody(String.class));
    } catch (JsonProcessingException e) {
      // the parser's message quotes the record
      throw new MalformedEventException(StrictJson.reason("The event data", e) + ".");
    }
    String orderId = required(data == null ? null : data.path("orderId").asText(null), "orderId");
    Payments.checkMoney(type, data);
    // a duplicate is flagged as the idempotent consumer flags one (the metrics count it)
    return transaction.execute(
        t ->
            apply(
                source,
                eventId,
                type,
                orderId,
                data,
                () -> exchange.setProperty(Exchange.DUPLICATE_MESSAGE, Boolean.TRUE)));
  }

  private List<Outcome> apply(
      String source,
      String eventId,
      String type,
      String orderId,
      JsonNode data,
      Runnable duplicate) {
    // the inbox is keyed by the event's (source, id): a client's event never stands for the hub's
    if (jdbc.update(
            sql("inbox/claim"), Map.of("service", SERVICE, "source", source, "eventId", eventId))
        == 0) {
      // seen before: the decision may have been committed but never published
      LOG.info(
          "Event {} {} of order {} seen before: skipped (inbox)",
          LogSafe.text(source),
          LogSafe.text(eventId),
          LogSafe.text(orderId));
      duplicate.run();
      OrderState state = OrderState.load(jdbc, mapper, orderId, false);
      return state == null ? List.of() : unpublished(state);
    }
    jdbc.update(sql("orders/create-order"), Map.of("orderId", orderId));
    OrderState state = OrderState.load(jdbc, mapper, orderId, true);
    // the deadline on the database's clock, which the timeout check compares it with
    Instant now =
        jdbc.queryForObject(sql("orders/database-now"), Map.of(), Timestamp.class).toInstant();
    String note = state.record(type, data, now.plus(paymentTimeout));
    Outcome outcome = state.decide(mapper);
    state.save(jdbc, mapper);
    recordTimeline(orderId, source, eventId, type, note == null, note);
    state.refunds().forEach(refund -> requestRefund(orderId, refund));
    if (outcome != null) {
      LOG.info("Order {} {} ({})", LogSafe.text(orderId), state.status(), state.reason());
    }
    return outcome == null ? List.of() : List.of(outcome);
  }

  /**
   * Cancels the orders whose payment did not arrive in time (a paid order still waiting for its
   * stock decision is left alone); the outcomes to publish.
   */
  public List<Outcome> expireUnpaid() {
    return transaction.execute(
        t -> {
          List<Outcome> outcomes = new ArrayList<>();
          for (String orderId :
              jdbc.queryForList(sql("orders/unpaid-orders"), Map.of(), String.class)) {
            OrderState state = OrderState.load(jdbc, mapper, orderId, true);
            Outcome outcome = state.timeOut(mapper);
            if (outcome == null) {
              continue;
            }
            state.save(jdbc, mapper);
            recordTimeline(
                orderId,
                SOURCE,
                "timeout-" + orderId,
                "PaymentTimeout",
                true,
                "no payment within " + paymentTimeout);
            state.refunds().forEach(refund -> requestRefund(orderId, refund));
            LOG.info("Order {} CANCELLED (PAYMENT_TIMEOUT)", LogSafe.text(orderId));
            outcomes.add(outcome);
          }
          return outcomes;
        });
  }

  /**
   * Decided outcomes not yet published for longer than {@code ageMillis} (the relay's work), leased
   * to this instance for {@code leaseMillis}: another instance's relay skips them meanwhile.
   */
  public List<Outcome> unpublished(long ageMillis, long leaseMillis) {
    return transaction.execute(
        t -> {
          List<Outcome> outcomes = new ArrayList<>();
          for (String orderId :
              jdbc.queryForList(
                  sql("orders/unpublished-orders"),
                  Map.of("afterMs", ageMillis, "leaseMs", leaseMillis),
                  String.class)) {
            outcomes.addAll(unpublished(OrderState.load(jdbc, mapper, orderId, false)));
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
    attributes.put("source", SOURCE);
    attributes.put("time", Instant.now().toString());
    attributes.put("subject", outcome.orderId());
    exchange.setProperty("orderId", outcome.orderId());
    cloudEvents.writeRecord(
        exchange.getMessage(), attributes, catalog.route(outcome.type()), outcome.data());
  }

  public void markPublished(String orderId) {
    jdbc.update(sql("orders/mark-published"), Map.of("orderId", orderId));
  }

  /** The order as {@code GET /api/orders/{id}} shows it. */
  public Map<String, Object> view(String orderId) {
    return transaction.execute(
        t -> {
          OrderState state = OrderState.load(jdbc, mapper, orderId, false);
          if (state == null) {
            throw new ProblemException(404, "Not Found", "No order " + orderId + " is known.");
          }
          Map<String, Object> view = state.view(mapper);
          view.put("timeline", timeline(orderId));
          return view;
        });
  }

  private List<Map<String, Object>> timeline(String orderId) {
    return jdbc.query(
        sql("orders/timeline"),
        Map.of("orderId", orderId),
        (rs, n) -> {
          Map<String, Object> event = new LinkedHashMap<>();
          event.put("source", rs.getString("source"));
          event.put("eventId", rs.getString("event_id"));
          event.put("type", rs.getString("type"));
          event.put("applied", rs.getBoolean("applied"));
          event.put("note", rs.getString("note"));
          event.put("at", rs.getTimestamp("at").toInstant().toString());
          return event;
        });
  }

  private void recordTimeline(
      String orderId, String source, String eventId, String type, boolean applied, String note) {
    Map<String, Object> p = new HashMap<>();
    p.put("orderId", orderId);
    p.put("source", source);
    p.put("eventId", eventId);
    p.put("type", type);
    p.put("applied", applied);
    p.put("note", note);
    jdbc.update(sql("orders/record-timeline"), p);
  }

  private void requestRefund(String orderId, OrderState.Refund refund) {
    Map<String, Object> p = new HashMap<>();
    p.put("paymentId", refund.paymentId());
    p.put("orderId", orderId);
    p.put("amount", refund.amount().toString());
    p.put("reason", refund.reason());
    jdbc.update(sql("orders/request-refund"), p);
  }

  private static String required(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the event has no " + what);
    }
    return value;
  }
}
