package io.eventhub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.delivery.EventIdentity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Push notifications of a verdict event's message: one per recipient who is offline (no live
 * connection with a running lease on any instance, {@link ChatLive#online}), with the sender and a
 * preview cut to {@code hub.chat.push.preview-length} characters. A BLOCKED message has none (and
 * its event carries no text).
 */
public class ChatPush {

  /** One push: its own idempotency key (the event's, per recipient) and its body. */
  public record Push(String key, Map<String, Object> body) {}

  private final ObjectMapper mapper;
  private final ChatLive live;
  private final int previewLength;

  public ChatPush(ObjectMapper mapper, ChatLive live, int previewLength) {
    this.mapper = mapper;
    this.live = live;
    this.previewLength = previewLength;
  }

  /** The pushes of the consumed verdict event (exchange properties eventSource and eventId). */
  public List<Push> pushes(Exchange exchange) throws IOException {
    JsonNode data = mapper.readTree(exchange.getMessage().getBody(String.class));
    List<Push> pushes = new ArrayList<>();
    if ("BLOCKED".equals(data.path("verdict").asText()) || !data.hasNonNull("text")) {
      return pushes;
    }
    String source = exchange.getProperty("eventSource", String.class);
    String eventId = exchange.getProperty("eventId", String.class);
    List<String> recipients = new ArrayList<>();
    data.path("recipientIds").forEach(r -> recipients.add(r.asText()));
    java.util.Set<String> online = live.online(recipients);
    for (String userId : recipients) {
      if (online.contains(userId)) {
        continue;
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("userId", userId);
      body.put("chatId", data.path("chatId").asText());
      body.put("messageId", data.path("messageId").asText());
      body.put("senderId", data.path("senderId").asText());
      body.put("preview", preview(data.path("text").asText(), previewLength));
      body.put("flagged", "FLAGGED".equals(data.path("verdict").asText()));
      body.put("sentAt", data.path("sentAt").asText());
      pushes.add(new Push(EventIdentity.key(source, eventId + "/" + userId), body));
    }
    return pushes;
  }

  /** The text cut to {@code length} characters (code points), an ellipsis when cut. */
  static String preview(String text, int length) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    if (oneLine.codePointCount(0, oneLine.length()) <= length) {
      return oneLine;
    }
    return oneLine.substring(0, oneLine.offsetByCodePoints(0, Math.max(0, length - 1))) + "…";
  }
}
