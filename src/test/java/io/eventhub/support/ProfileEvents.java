package io.eventhub.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * UserProfileUpdated events for tests, shaped like samples/user-profile-updated.json: as the Kafka
 * record a consumer route receives, or as the CloudEvent a client posts. Each user gets an email
 * address of its own, so a test can look for it in the logs.
 */
public final class ProfileEvents {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The user's name in every profile event (the fixture's). */
  public static final String NAME =
      Fixtures.json("user-profile-updated", "userId", "u", "version", "1").get("name").asText();

  private ProfileEvents() {}

  public static String newUserId() {
    return "user-" + UUID.randomUUID();
  }

  public static String newEventId() {
    return "evt-" + UUID.randomUUID();
  }

  /** The user's email address in their events (the fixture's, filled in). */
  public static String emailOf(String userId) {
    return Fixtures.json("user-profile-updated", "userId", userId, "version", "1")
        .get("email")
        .asText();
  }

  /**
   * The event's data (fixtures/user-profile-updated.json): the user's profile at this version, with
   * these fields changed; the newsletter and theme preferences flip with each version.
   */
  public static String data(String userId, long version, List<String> changedFields) {
    ObjectNode data =
        Fixtures.json("user-profile-updated", "userId", userId, "version", String.valueOf(version));
    data.put("version", version);
    ObjectNode preferences = (ObjectNode) data.get("preferences");
    preferences.put("newsletter", version % 2 == 0);
    ((ObjectNode) preferences.get("ui")).put("theme", version % 2 == 0 ? "dark" : "light");
    data.set("changedFields", JSON.valueToTree(changedFields));
    return data.toString();
  }

  /** The headers of the record as the consumer sees them (binary mode, text headers). */
  public static Map<String, Object> headers(String eventId, String userId, OffsetDateTime time) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("ce_id", eventId);
    headers.put("ce_type", "UserProfileUpdated");
    headers.put("ce_source", "/test");
    headers.put("ce_specversion", "1.0");
    headers.put("ce_time", time.toString());
    headers.put(KafkaConstants.TOPIC, "users.events");
    headers.put(KafkaConstants.PARTITION, 0);
    headers.put(KafkaConstants.OFFSET, 7L);
    headers.put(KafkaConstants.KEY, userId);
    return headers;
  }

  public static Map<String, Object> headers(String eventId, String userId) {
    return headers(eventId, userId, OffsetDateTime.now(ZoneOffset.UTC));
  }

  /** The structured CloudEvent a client posts to /api/events. */
  public static String cloudEvent(
      String eventId, String userId, long version, List<String> changedFields) {
    try {
      ObjectNode event = JSON.createObjectNode();
      event.put("specversion", "1.0");
      event.put("id", eventId);
      event.put("source", "/accounts/profile");
      event.put("type", "UserProfileUpdated");
      event.put("time", OffsetDateTime.now(ZoneOffset.UTC).toString());
      event.put("subject", userId);
      event.set("data", JSON.readTree(data(userId, version, changedFields)));
      return event.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
