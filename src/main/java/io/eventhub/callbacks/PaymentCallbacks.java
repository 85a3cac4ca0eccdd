package io.eventhub.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.delivery.EventIdentity;
import io.eventhub.http.ProblemException;
import io.eventhub.intake.CloudEvents;
import io.eventhub.intake.EventCatalog;
import io.eventhub.json.StrictJson;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The payment gateway's callbacks: verified on the raw body, then turned into {@code
 * PaymentSucceeded} / {@code PaymentFailed} for {@code payments.events}. The event id is derived
 * from the gateway's own event id, so a callback sent again is the same event.
 */
public class PaymentCallbacks {

  private static final Map<String, String> TYPES =
      Map.of("payment.succeeded", "PaymentSucceeded", "payment.failed", "PaymentFailed");

  private final WebhookVerifier verifier;
  private final CloudEvents cloudEvents;
  private final ObjectMapper mapper;
  private final int maxBytes;
  private final Clock clock;

  public PaymentCallbacks(
      WebhookVerifier verifier,
      CloudEvents cloudEvents,
      ObjectMapper mapper,
      int maxBytes,
      Clock clock) {
    this.verifier = verifier;
    this.cloudEvents = cloudEvents;
    this.mapper = mapper;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  /**
   * Verifies the callback and makes the message the Kafka record of the payment event.
   *
   * @throws ProblemException 413 too large, 401 unverified, 400 malformed header or body
   */
  public void toPaymentEvent(Exchange exchange) {
    Message in = exchange.getMessage();
    byte[] body = verifier.verifiedBody(in, maxBytes);
    JsonNode callback;
    try {
      callback = mapper.readTree(body);
    } catch (IOException e) {
      // where it broke (or the duplicate key), never the parser's message, which quotes the body
      throw new ProblemException(
          400, "Bad Request", StrictJson.reason("The callback body", e) + ".");
    }
    String gatewayId = callback == null ? null : callback.path("id").asText(null);
    String type = callback == null ? null : TYPES.get(callback.path("type").asText(""));
    if (gatewayId == null || gatewayId.isBlank() || type == null) {
      throw new ProblemException(
          400,
          "Bad Request",
          "A payment callback needs an id and a type of payment.succeeded or payment.failed.");
    }
    JsonNode data = callback.get("data");
    EventCatalog.Route route = cloudEvents.checkData(type, data);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("id", "payment-gateway-" + gatewayId);
    attributes.put("type", type);
    // an event the hub makes: its own source, which clients may not use
    attributes.put("source", EventIdentity.hubSource("payments"));
    attributes.put("time", clock.instant().toString());
    attributes.put("subject", data.path("orderId").asText());
    cloudEvents.writeRecord(in, attributes, route, data);
  }
}
