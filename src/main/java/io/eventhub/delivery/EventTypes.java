package io.eventhub.delivery;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.intake.EventCatalog;
import io.eventhub.json.StrictJson;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The first step of every Kafka consumer: which records the route handles, and what it cannot
 * handle, said as a dead letter instead of a silent commit. A record of a type the catalog ({@code
 * schemas/catalog.json}) puts on the topic but the route does not handle is skipped (another route
 * handles it). A record with no {@code ce_type}, or a type the catalog does not put on the topic,
 * fails with a {@link MalformedEventException} (the DLQ, with the reason). A record the route
 * handles needs {@code ce_source}, {@code ce_id} and a JSON object as its value; its identity is
 * set as the exchange properties {@code eventSource}, {@code eventId} and {@code eventKey} ({@link
 * EventIdentity#key}), and its correlation ids for the log as {@code eventType} and the property
 * named for its key ({@code orderId}, {@code fileId}, {@code chatId}, {@code userId}). Reasons
 * never quote the record's content.
 */
public class EventTypes {

  private static final String VALUE = "The record value";

  /** The exchange property that says whether the route handles the record. */
  public static final String HANDLED = "eventHandled";

  private final EventCatalog catalog;
  private final ObjectMapper mapper;

  public EventTypes(EventCatalog catalog, ObjectMapper mapper) {
    this.catalog = catalog;
    this.mapper = mapper;
  }

  /**
   * Checks the record and sets {@value #HANDLED}: true when its type is one of {@code types} (comma
   * separated), false when another route of the topic handles it.
   *
   * @throws MalformedEventException when no route can handle it
   */
  public void check(Exchange exchange, String types) {
    Message in = exchange.getMessage();
    String topic = in.getHeader(KafkaConstants.TOPIC, String.class);
    String type = in.getHeader("ce_type", String.class);
    if (type == null || type.isBlank()) {
      throw new MalformedEventException("the record has no ce_type header");
    }
    EventCatalog.Route route = catalog.route(type);
    if (route == null || (topic != null && !route.topic().equals(topic))) {
      throw new MalformedEventException(
          "the record's ce_type is not an event type of "
              + (topic == null ? "the hub" : topic)
              + " (its types: "
              + String.join(", ", typesOf(topic))
              + ")");
    }
    boolean handled = Arrays.stream(types.split(",")).map(String::trim).anyMatch(type::equals);
    exchange.setProperty(HANDLED, handled);
    if (!handled) {
      return;
    }
    String source = in.getHeader("ce_source", String.class);
    String id = in.getHeader("ce_id", String.class);
    exchange.setProperty("eventSource", source);
    exchange.setProperty("eventId", id);
    exchange.setProperty("eventKey", EventIdentity.key(source, id));
    // correlation ids for the log (camel.mdc.customProperties): the type, and the aggregate's id
    // as orderId, fileId, chatId or userId (the record key, then the data's own field)
    exchange.setProperty("eventType", type);
    exchange.setProperty(route.keyField(), in.getHeader(KafkaConstants.KEY, String.class));
    JsonNode data = checkJsonObject(in.getBody(String.class));
    if (data.path(route.keyField()).isTextual()) {
      exchange.setProperty(route.keyField(), data.path(route.keyField()).asText());
    }
    // the data as its type's schema says (bounds, money, formats): what a route reads is sound
    java.util.List<String> violations = catalog.violations(route, data);
    if (!violations.isEmpty()) {
      throw new MalformedEventException(
          "The event data does not match the schema of " + type + ": " + violations);
    }
  }

  /** The event key of a pair, for routes that make one ({@link EventIdentity#key}). */
  public String key(String source, String id) {
    return EventIdentity.key(source, id);
  }

  private java.util.List<String> typesOf(String topic) {
    return catalog.types().stream()
        .filter(t -> topic == null || catalog.route(t).topic().equals(topic))
        .collect(Collectors.toList());
  }

  /** A JSON object and nothing after it; the reason names a place, never the content. */
  private JsonNode checkJsonObject(String value) {
    if (value == null || value.isBlank()) {
      throw new MalformedEventException("The record has no value");
    }
    // the Kafka deserializer turns bytes that are not UTF-8 into U+FFFD
    if (value.indexOf('\uFFFD') >= 0) {
      throw new MalformedEventException(VALUE + " is not valid UTF-8");
    }
    try (JsonParser parser = mapper.getFactory().createParser(value)) {
      JsonNode data = mapper.readTree(parser);
      if (parser.nextToken() != null) {
        throw new MalformedEventException(
            VALUE
                + " is not valid JSON: more follows the document at line "
                + parser.currentLocation().getLineNr()
                + ", column "
                + parser.currentLocation().getColumnNr());
      }
      if (data == null || !data.isObject()) {
        throw new MalformedEventException(VALUE + " is not a JSON object");
      }
      return data;
    } catch (JsonProcessingException e) {
      throw new MalformedEventException(StrictJson.reason(VALUE, e));
    } catch (IOException e) {
      throw new MalformedEventException(VALUE + " could not be read");
    }
  }
}
