package io.eventhub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.delivery.EventIdentity;
import io.eventhub.delivery.MalformedEventException;
import io.eventhub.http.ProblemException;
import io.eventhub.json.StrictJson;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * CloudEvents in the two modes the hub uses: structured JSON over HTTP, binary mode on Kafka
 * ({@code ce_*} headers, the {@code data} JSON as the record value, the aggregate id as key).
 */
public class CloudEvents {

  public static final String STRUCTURED_MEDIA_TYPE = "application/cloudevents+json";
  static final List<String> ATTRIBUTES = List.of("id", "type", "source", "time", "subject");

  private final ObjectMapper mapper;
  private final EventCatalog catalog;
  private final int maxBytes;

  public CloudEvents(ObjectMapper mapper, EventCatalog catalog, int maxBytes) {
    this.mapper = mapper;
    this.catalog = catalog;
    this.maxBytes = maxBytes;
  }

  /**
   * Checks an HTTP request that carries a structured CloudEvent and turns the message into the
   * Kafka record to publish: the body becomes the event's data, the attributes become {@code ce_*}
   * headers, the topic and key come from the catalog. Every other header is dropped.
   *
   * @throws ProblemException 415, 413 or 400 saying what is wrong
   */
  public void toKafkaRecord(Exchange exchange) {
    Message in = exchange.getMessage();
    checkMediaType(in.getHeader(Exchange.CONTENT_TYPE, String.class));
    byte[] body = in.getBody(byte[].class);
    if (body == null || body.length == 0) {
      throw badRequest("The request has no body; send a CloudEvent in structured JSON.");
    }
    if (body.length > maxBytes) {
      throw new ProblemException(
          413,
          "Payload Too Large",
          "The event has " + body.length + " bytes; the limit is " + maxBytes + ".",
          Map.of("limit", maxBytes));
    }
    JsonNode event;
    try {
      event = mapper.readTree(body);
    } catch (java.io.IOException e) {
      throw badRequest(StrictJson.reason("The body", e) + ".");
    }
    if (event == null || !event.isObject()) {
      throw badRequest("The body must be a JSON object (a CloudEvent in structured mode).");
    }
    List<String> errors = new ArrayList<>();
    if (!"1.0".equals(text(event, "specversion"))) {
      errors.add("specversion must be \"1.0\"");
    }
    for (String required : List.of("id", "source", "type")) {
      String value = text(event, required);
      if (value == null || value.isBlank()) {
        errors.add(required + " is required and must be a non-empty string");
      } else if (value.length() > 200) {
        errors.add(required + " is longer than 200 characters");
      }
    }
    for (String optional : List.of("time", "subject", "datacontenttype")) {
      JsonNode value = event.get(optional);
      if (value != null && !value.isNull() && !value.isTextual()) {
        errors.add(optional + " must be a string");
      }
    }
    String time = text(event, "time");
    if (time != null) {
      try {
        OffsetDateTime.parse(time);
      } catch (DateTimeParseException e) {
        errors.add("time must be an RFC 3339 timestamp");
      }
    }
    String contentType = text(event, "datacontenttype");
    if (contentType != null
        && !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      errors.add("datacontenttype must be application/json");
    }
    if (!errors.isEmpty()) {
      throw invalid("The CloudEvent attributes are invalid.", errors);
    }
    if (EventIdentity.isHubSource(text(event, "source"))) {
      throw new ProblemException(
          403,
          "Forbidden",
          "Sources under "
              + EventIdentity.HUB_SOURCE_PREFIX
              + " are the hub's own, for the events it makes itself; use your service's source.");
    }
    JsonNode data = event.get("data");
    EventCatalog.Route route = checkData(text(event, "type"), data);
    if (!route.intake()) {
      throw new ProblemException(
          403,
          "Forbidden",
          "Events of type "
              + route.type()
              + " are published by the hub itself (from signed callbacks or its own decisions),"
              + " not through POST /api/events.");
    }
    Map<String, String> attributes = new java.util.LinkedHashMap<>();
    for (String attribute : ATTRIBUTES) {
      attributes.put(attribute, text(event, attribute));
    }
    writeRecord(in, attributes, route, data);
  }

  /**
   * Makes the message the Kafka record of an event whose data already passed {@link #checkData}:
   * {@code ce_*} headers from the attributes (id, type, source, time, subject; null ones left out),
   * key and topic from the catalog, the data as the value. Every other header is dropped.
   */
  public void writeRecord(
      Message in, Map<String, String> attributes, EventCatalog.Route route, JsonNode data) {
    in.removeHeaders("*");
    in.setHeader("ce_specversion", "1.0");
    attributes.forEach(
        (attribute, value) -> {
          if (value != null) {
            in.setHeader("ce_" + attribute, value);
          }
        });
    in.setHeader(KafkaConstants.KEY, data.get(route.keyField()).asText());
    in.setHeader(KafkaConstants.OVERRIDE_TOPIC, route.topic());
    in.setBody(data.toString());
  }

  /**
   * The catalog entry of a type whose data matches its schema.
   *
   * @throws ProblemException 400 for an unknown type, missing data or data off its schema
   */
  public EventCatalog.Route checkData(String type, JsonNode data) {
    EventCatalog.Route route = catalog.route(type);
    if (route == null) {
      throw new ProblemException(
          400,
          "Unknown Event Type",
          "The event type '" + type + "' is not one the hub knows.",
          Map.of("knownTypes", catalog.types()));
    }
    if (data == null || !data.isObject()) {
      throw invalid("The event has no data.", List.of("data must be a JSON object"));
    }
    List<String> violations = catalog.violations(route, data);
    if (!violations.isEmpty()) {
      throw invalid("The data does not match the schema of " + type + ".", violations);
    }
    return route;
  }

  /** The answer to an accepted event: {@code {"id": ...}} as JSON. */
  public String accepted(String id) throws JsonProcessingException {
    return mapper.writeValueAsString(Map.of("id", id));
  }

  /**
   * Turns a Kafka record in binary mode back into a structured CloudEvent (the body), as sent to
   * outside services.
   */
  public void toStructured(Exchange exchange) throws JsonProcessingException {
    Message in = exchange.getMessage();
    ObjectNode event = mapper.createObjectNode();
    event.put("specversion", "1.0");
    for (String attribute : ATTRIBUTES) {
      String value = in.getHeader("ce_" + attribute, String.class);
      if (value != null) {
        event.put(attribute, value);
      }
    }
    event.put("datacontenttype", "application/json");
    try {
      event.set("data", mapper.readTree(in.getBody(String.class)));
    } catch (JsonProcessingException e) {
      throw new MalformedEventException(StrictJson.reason("The event data", e) + ".");
    }
    in.setBody(mapper.writeValueAsString(event));
  }

  private void checkMediaType(String contentType) {
    String media =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals(STRUCTURED_MEDIA_TYPE) && !media.equals("application/json")) {
      throw new ProblemException(
          415,
          "Unsupported Media Type",
          "Send the event as "
              + STRUCTURED_MEDIA_TYPE
              + " (structured mode); got '"
              + (contentType == null ? "no content type" : contentType)
              + "'.");
    }
  }

  private static String text(JsonNode event, String field) {
    JsonNode value = event.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }

  private static ProblemException badRequest(String detail) {
    return new ProblemException(400, "Bad Request", detail);
  }

  private static ProblemException invalid(String detail, List<String> errors) {
    return new ProblemException(400, "Invalid Event", detail, Map.of("errors", errors));
  }
}
