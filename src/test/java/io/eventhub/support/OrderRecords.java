package io.eventhub.support;

import java.util.Map;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Records of the order's topics as the Kafka consumer hands them to a route (the data as value, the
 * CloudEvent attributes as text headers), and the order data the inventory tests use.
 */
public final class OrderRecords {

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

  public static String orderCreated(String orderId, String... lines) {
    return "{\"orderId\":\""
        + orderId
        + "\",\"customerId\":\"c-1\",\"lines\":["
        + String.join(",", lines)
        + "],\"amount\":{\"value\":10,\"currency\":\"EUR\"}}";
  }

  public static String orderCancelled(String orderId) {
    return "{\"orderId\":\"" + orderId + "\",\"reason\":\"customer changed their mind\"}";
  }
}
