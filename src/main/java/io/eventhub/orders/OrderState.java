package io.eventhub.orders;

import static io.eventhub.persistence.SqlFiles.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * One order's saga state, as stored in the {@code orders} row. Its status only moves forward (NEW,
 * PENDING, RESERVED, then CONFIRMED or CANCELLED); an event that comes late or twice is recorded
 * but changes nothing.
 */
final class OrderState {

  private static final List<String> WAITING = List.of("PENDING", "RESERVED");
  private static final List<String> FINAL = List.of("CONFIRMED", "CANCELLED");

  private final String orderId;
  private String status = "NEW";
  private String reason;
  private String customerId;
  private JsonNode lines;
  private JsonNode amount;
  private String inventory;
  private String inventoryReason;
  private ObjectNode payment;
  private Instant paymentDeadline;
  private String outcomeId;
  private String outcomeType;
  private ObjectNode outcomeData;
  private Instant publishedAt;
  private String refundReason;
  private final List<Refund> refunds = new ArrayList<>();

  /** A payment to give back: its id, its amount as paid, and why. */
  record Refund(String paymentId, JsonNode amount, String reason) {}

  /**
   * An order no event has been applied to yet, as {@code orders/create-order} inserts its row
   * (status NEW); the decisions below then run in memory.
   */
  OrderState(String orderId) {
    this.orderId = orderId;
  }

  /** A new order's state, before any of its events (as a decision test starts it). */
  static OrderState fresh(String orderId) {
    OrderState s = new OrderState(orderId);
    s.status = "NEW";
    return s;
  }

  /** The order's row (locked for this transaction when {@code forUpdate}), or null. */
  static OrderState load(
      NamedParameterJdbcTemplate jdbc, ObjectMapper mapper, String orderId, boolean forUpdate) {
    return jdbc.query(
        sql(forUpdate ? "orders/lock-order" : "orders/find-order"),
        Map.of("orderId", orderId),
        rs -> {
          if (!rs.next()) {
            return null;
          }
          OrderState s = new OrderState(orderId);
          s.status = rs.getString("status");
          s.reason = rs.getString("reason");
          s.customerId = rs.getString("customer_id");
          s.lines = json(mapper, rs.getString("lines"));
          s.amount = json(mapper, rs.getString("amount"));
          s.inventory = rs.getString("inventory");
          s.inventoryReason = rs.getString("inventory_reason");
          s.payment = (ObjectNode) json(mapper, rs.getString("payment"));
          s.paymentDeadline = instant(rs.getTimestamp("payment_deadline"));
          s.outcomeId = rs.getString("outcome_id");
          s.outcomeType = rs.getString("outcome_type");
          s.outcomeData = (ObjectNode) json(mapper, rs.getString("outcome_data"));
          s.publishedAt = instant(rs.getTimestamp("outcome_published_at"));
          return s;
        });
  }

  /**
   * Takes in what an event says about the order.
   *
   * @return null when applied, else why the event changed nothing
   */
  String record(String type, JsonNode data, Instant deadlineIfCreated) {
    boolean done = FINAL.contains(status);
    switch (type) {
      case "OrderCreated" -> {
        if (customerId != null) {
          return "the order was already created";
        }
        customerId = data.path("customerId").asText();
        lines = data.get("lines");
        amount = data.get("amount");
        if (status.equals("NEW")) {
          status = "PENDING";
          paymentDeadline = deadlineIfCreated;
        }
      }
      case "InventoryReserved", "InventoryRejected" -> {
        if (inventory != null) {
          return "stock was already " + inventory;
        }
        inventory = type.equals("InventoryReserved") ? "RESERVED" : "REJECTED";
        inventoryReason = data.path("reason").asText(null);
      }
      case "PaymentSucceeded", "PaymentFailed" -> {
        boolean succeeded = type.equals("PaymentSucceeded");
        if (paid()) {
          String extra = succeeded ? Payments.secondPayment(payment, data) : null;
          if (extra == null) {
            return "a payment already succeeded";
          }
          // paid twice: the second payment goes back, once (refunds are keyed by payment id)
          refunds.add(refund(data, extra));
          return "a payment already succeeded; this one is refunded (" + extra + ")";
        }
        payment = data.deepCopy();
        payment.put("status", succeeded ? "SUCCEEDED" : "FAILED");
        if (done && succeeded && status.equals("CANCELLED")) {
          refundReason = "ORDER_CANCELLED";
          refunds.add(refund(payment, refundReason));
        }
      }
      default -> {
        return "not an event of the order saga";
      }
    }
    return done ? "the order was already " + status : null;
  }

  /** Decides the order once all it needs is known; the outcome to publish, if decided now. */
  OrderSaga.Outcome decide(ObjectMapper mapper) {
    if (FINAL.contains(status) || customerId == null) {
      return null;
    }
    boolean paid = paid();
    boolean paymentFailed = payment != null && !paid;
    if ("REJECTED".equals(inventory)) {
      return cancel("INVENTORY_REJECTED", mapper);
    }
    if (paymentFailed) {
      return cancel("PAYMENT_FAILED", mapper);
    }
    if (paid && !Payments.pays(amount, payment)) {
      // a payment of another amount or currency never confirms: cancelled, and refunded
      return cancel(Payments.MISMATCH, mapper);
    }
    if ("RESERVED".equals(inventory)) {
      if (paid) {
        return finish("CONFIRMED", "OrderConfirmed", null, mapper);
      }
      status = "RESERVED";
    }
    return null;
  }

  /**
   * Cancels the order (it must not be final yet), with a refund when it was paid; the
   * OrderCancelled to publish.
   */
  OrderSaga.Outcome cancel(String why, ObjectMapper mapper) {
    if (paid()) {
      refundReason = why;
      refunds.add(refund(payment, why));
    }
    return finish("CANCELLED", "OrderCancelled", why, mapper);
  }

  /**
   * Cancels the order because its payment did not arrive in time; null (nothing changes) unless it
   * is created and undecided (PENDING or RESERVED) and unpaid: a paid order waits for its stock
   * decision. {@code orders/unpaid-orders} picks the orders past their deadline.
   */
  OrderSaga.Outcome timeOut(ObjectMapper mapper) {
    if (!WAITING.contains(status) || paid()) {
      return null;
    }
    return cancel("PAYMENT_TIMEOUT", mapper);
  }

  private boolean paid() {
    return payment != null && payment.path("status").asText().equals("SUCCEEDED");
  }

  private OrderSaga.Outcome finish(
      String finalStatus, String type, String why, ObjectMapper mapper) {
    status = finalStatus;
    reason = why;
    outcomeId = "order-saga-" + orderId + "-" + finalStatus.toLowerCase();
    outcomeType = type;
    outcomeData = mapper.createObjectNode().put("orderId", orderId);
    if (why != null) {
      outcomeData.put("reason", why);
    }
    if (refundReason != null) {
      outcomeData.put("refund", true);
    }
    return outcome();
  }

  void save(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
    Map<String, Object> p = new HashMap<>();
    p.put("orderId", orderId);
    p.put("status", status);
    p.put("reason", reason);
    p.put("customerId", customerId);
    p.put("lines", text(mapper, lines));
    p.put("amount", text(mapper, amount));
    p.put("inventory", inventory);
    p.put("inventoryReason", inventoryReason);
    p.put("payment", text(mapper, payment));
    p.put("paymentDeadline", paymentDeadline == null ? null : Timestamp.from(paymentDeadline));
    p.put("outcomeId", outcomeId);
    p.put("outcomeType", outcomeType);
    p.put("outcomeData", text(mapper, outcomeData));
    jdbc.update(sql("orders/save-order"), p);
  }

  OrderSaga.Outcome outcome() {
    return outcomeId == null
        ? null
        : new OrderSaga.Outcome(outcomeId, outcomeType, orderId, outcomeData);
  }

  Map<String, Object> view(ObjectMapper mapper) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("orderId", orderId);
    view.put("status", status);
    view.put("reason", reason);
    view.put("customerId", customerId);
    view.put("lines", lines);
    view.put("amount", amount);
    view.put("inventory", inventory);
    view.put("inventoryReason", inventoryReason);
    view.put("payment", payment);
    view.put("paymentDeadline", paymentDeadline == null ? null : paymentDeadline.toString());
    view.put("outcome", outcomeType);
    view.put("outcomePublished", publishedAt != null);
    return view;
  }

  String orderId() {
    return orderId;
  }

  String status() {
    return status;
  }

  String reason() {
    return reason;
  }

  /** The refunds this event decided (the order's payment, or a second payment). */
  /** The payment the order holds (the first that succeeded, or the last that failed), or null. */
  ObjectNode payment() {
    return payment;
  }

  List<Refund> refunds() {
    return List.copyOf(refunds);
  }

  private static Refund refund(JsonNode payment, String reason) {
    return new Refund(payment.path("paymentId").asText(), payment.path("amount"), reason);
  }

  boolean published() {
    return publishedAt != null;
  }

  private static JsonNode json(ObjectMapper mapper, String text) {
    try {
      return text == null ? null : mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(ObjectMapper mapper, JsonNode node) {
    try {
      return node == null ? null : mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
