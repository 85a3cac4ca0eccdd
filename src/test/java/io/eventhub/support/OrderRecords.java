package io.eventhub.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Records of the order's topics as the Kafka consumer hands them to a route (the data as value, the
 * CloudEvent attributes as text headers), and the order data the inventory tests use.
 */
public final class OrderRecords {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OrderRecords() {}

  /** Sends one record to a route whose Kafka consumer a test replaced by this endpoint. */
  public static void consume(ProducerTemplate to, String eventId, String type, String data) {
    to.sendBodyAndHeaders(
        data,
        Map.of(
            "ce_id",
            eventId,
            "ce_type",
            type,
            "ce_source",
            "/test",
            "ce_specversion",
            "1.0",
            KafkaConstants.TOPIC,
            topicOf(type),
            KafkaConstants.PARTITION,
            0,
            KafkaConstants.OFFSET,
            42L,
            KafkaConstants.KEY,
            "order"));
  }

  /** The topic the catalog puts the type on (schemas/catalog.json). */
  public static String topicOf(String type) {
    if (type.startsWith("Inventory")) {
      return "inventory.events";
    }
    return type.startsWith("Payment") ? "payments.events" : "orders.events";
  }

  /** A SKU no other test uses. */
  public static String sku(String name) {
    return "T-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static String line(String sku, int quantity) {
    return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
  }

  /** fixtures/order-created.json for this order, with these lines. */
  public static String orderCreated(String orderId, String... lines) {
    ObjectNode data = Fixtures.json("order-created", "orderId", orderId);
    try {
      data.set("lines", JSON.readTree("[" + String.join(",", lines) + "]"));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
    return data.toString();
  }

  public static String orderCancelled(String orderId) {
    return Fixtures.text(
        "order-cancelled", "orderId", orderId, "reason", "customer changed their mind");
  }
}
