package io.eventhub.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.delivery.MalformedEventException;
import io.eventhub.json.JsonNumbers;
import io.eventhub.json.StrictJson;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Reads a {@code UserProfileUpdated} record from Kafka (binary mode: {@code ce_*} headers, the data
 * as the value) into a {@link ProfileUpdate}. The data must match the schema the intake checks
 * ({@code schemas/UserProfileUpdated.schema.json}): records can also come from producers that do
 * not go through the intake. Anything else is a {@link MalformedEventException} saying which field
 * is wrong, never what it held.
 */
public class ProfileUpdates {

  public static final String TYPE = "UserProfileUpdated";

  private final ObjectMapper mapper;

  public ProfileUpdates(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public ProfileUpdate read(Exchange exchange) {
    Message in = exchange.getMessage();
    String eventId = in.getHeader("ce_id", String.class);
    if (eventId == null || eventId.isBlank()) {
      throw new MalformedEventException("The record has no ce_id header.");
    }
    JsonNode data;
    try {
      data = mapper.readTree(in.getBody(String.class));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      // the parser's message may quote the record, which holds personal data
      throw new MalformedEventException(StrictJson.reason(TYPE + " data", e) + ".");
    }
    if (data == null || !data.isObject()) {
      throw new MalformedEventException(TYPE + " data must be a JSON object.");
    }
    // its schema was checked by the consumer's first step (io.eventhub.delivery.EventTypes)
    List<String> changedFields = new ArrayList<>();
    data.get("changedFields").forEach(field -> changedFields.add(field.asText()));
    return new ProfileUpdate(
        eventId,
        time(in.getHeader("ce_time", String.class)),
        data.get("userId").asText(),
        // exactly, within the schema's bounds (a JavaScript-safe integer)
        JsonNumbers.integer(data.get("version"), "version", 1, JsonNumbers.MAX_SAFE_INTEGER),
        data.get("email").asText(),
        data.get("name").asText(),
        (ObjectNode) data.get("preferences"),
        List.copyOf(changedFields),
        (ObjectNode) data);
  }

  /** The event's time; a record without one is taken as happening now. */
  private static OffsetDateTime time(String ceTime) {
    if (ceTime == null || ceTime.isBlank()) {
      return OffsetDateTime.now(ZoneOffset.UTC);
    }
    try {
      return OffsetDateTime.parse(ceTime);
    } catch (DateTimeParseException e) {
      throw new MalformedEventException("The ce_time header is not an RFC 3339 timestamp.");
    }
  }
}
