package io.eventhub.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/** Test events made from the samples a user sends with curl, with fresh ids. */
public final class Events {

  private Events() {}

  /** samples/order-created.json with a new event id and order id; returns {eventId, json}. */
  public static String[] orderCreated() {
    String eventId = "evt-" + UUID.randomUUID();
    String orderId = "order-" + UUID.randomUUID();
    String json =
        sample("order-created.json")
            .replace("evt-order-1001", eventId)
            .replace("order-1001", orderId);
    return new String[] {eventId, json};
  }

  /** The same order, for these two SKUs instead of the sample's. */
  public static String[] orderCreated(String firstSku, String secondSku) {
    String[] event = orderCreated();
    event[1] = event[1].replace("SKU-RED-MUG", firstSku).replace("SKU-BLUE-CAP", secondSku);
    return event;
  }

  /**
   * A ChatMessageSent (structured CloudEvent) from {@code sender} to every other member, with a new
   * event id.
   */
  public static ObjectNode chatMessageSent(
      String chatId, Collection<String> members, String sender, String messageId, String text) {
    ObjectNode event = new ObjectMapper().createObjectNode();
    event.put("specversion", "1.0");
    event.put("id", "evt-" + UUID.randomUUID());
    event.put("source", "/social/chat");
    event.put("type", "ChatMessageSent");
    ObjectNode data = event.putObject("data");
    data.put("chatId", chatId);
    data.put("messageId", messageId);
    data.put("senderId", sender);
    ArrayNode recipients = data.putArray("recipientIds");
    members.stream().filter(m -> !m.equals(sender)).forEach(recipients::add);
    data.put("text", text);
    data.put("sentAt", Instant.now().toString());
    return event;
  }

  public static String sample(String name) {
    try {
      return Files.readString(Path.of("samples", name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
