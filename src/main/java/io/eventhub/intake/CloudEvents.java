package io.eventhub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import io.eventhub.delivery.EventIdentity;
import io.eventhub.delivery.MalformedEventException;
import io.eventhub.http.ProblemException;
import io.eventhub.json.StrictJson;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * CloudEvents, read and written with the CloudEvents Java SDK, in every mode the hub meets: over
 * HTTP structured ({@value #STRUCTURED_MEDIA_TYPE}), binary ({@code ce-*} headers, the data as the
 * body) and batch ({@value #BATCH_MEDIA_TYPE}, see {@link EventBatches}); on Kafka in binary mode
 * ({@code ce_*} headers, extensions included, {@code content-type} for {@code datacontenttype}, the
 * {@code data} JSON as the record value, the aggregate id as key). Around the SDK: the hub's JSON
 * reading ({@link StrictJson}: duplicate keys refused, numbers exact; the data published is the one
 * read that way), the catalog (known types, their schemas, topics and keys) and problem answers.
 */
public class CloudEvents {

  public static final String STRUCTURED_MEDIA_TYPE = "application/cloudevents+json";
  public static final String BATCH_MEDIA_TYPE = "application/cloudevents-batch+json";
  public static final String JSON_MEDIA_TYPE = "application/json";

  /** The Kafka header of {@code datacontenttype} (the CloudEvents Kafka binding). */
  public static final String KAFKA_CONTENT_TYPE = "content-type";

  private static final Set<String> CONTEXT_ATTRIBUTES =
      Set.of(
          "specversion",
          "id",
          "source",
          "type",
          "time",
          "subject",
          "datacontenttype",
          "dataschema",
          "data",
          "data_base64");

  /** CloudEvents naming: lower-case ASCII letters and digits; at most 20 (the spec's advice). */
  private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");

  private static final int MAX_ATTRIBUTE_LENGTH = 200;

  private final ObjectMapper mapper;
  private final ObjectMapper sdkMapper;
  private final JsonFormat format = new JsonFormat();
  private final EventCatalog catalog;
  private final int maxBytes;
  private final String schemaBaseUrl;

  public CloudEvents(
      ObjectMapper mapper, EventCatalog catalog, int maxBytes, String schemaBaseUrl) {
    this.mapper = mapper;
    // the SDK's reader on the hub's strict mapper: one parse, duplicate keys refused, exact numbers
    this.sdkMapper = mapper.copy().registerModule(JsonFormat.getCloudEventJacksonModule());
    this.catalog = catalog;
    this.maxBytes = maxBytes;
    this.schemaBaseUrl =
        schemaBaseUrl == null || schemaBaseUrl.isBlank()
            ? null
            : schemaBaseUrl.endsWith("/") ? schemaBaseUrl : schemaBaseUrl + "/";
  }

  /** An event read, checked and placed: the SDK's event, its catalog entry, its data as read. */
  public record Checked(CloudEvent event, EventCatalog.Route route, JsonNode data) {
    public String id() {
      return event.getId();
    }

    public String source() {
      return event.getSource().toString();
    }

    public String key() {
      return EventIdentity.key(source(), id());
    }
  }

  /** Whether the request is a batch ({@value #BATCH_MEDIA_TYPE}). */
  public boolean isBatch(String contentType) {
    return BATCH_MEDIA_TYPE.equals(media(contentType));
  }

  /**
   * Checks an HTTP request that carries one CloudEvent, in structured or binary mode, and turns the
   * message into the Kafka record to publish: the data becomes the value, the attributes and
   * extensions {@code ce_*} headers, topic and key come from the catalog. Every other header is
   * dropped.
   *
   * @throws ProblemException 415, 413, 403 or 400 saying what is wrong
   */
  public void toKafkaRecord(Exchange exchange) {
    Message in = exchange.getMessage();
    Checked checked = read(in);
    writeRecord(in, checked);
  }

  /** Reads the one event of a structured or binary request (see {@link #toKafkaRecord}). */
  public Checked read(Message in) {
    String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
    byte[] body = in.getBody(byte[].class);
    String media = media(contentType);
    boolean binary = in.getHeaders().keySet().stream().anyMatch(CloudEvents::isCeHeader);
    if (media.equals(STRUCTURED_MEDIA_TYPE) || (media.equals(JSON_MEDIA_TYPE) && !binary)) {
      checkSize(body);
      return checkStructured(readJson(body, "a CloudEvent in structured JSON"));
    }
    if (binary) {
      return readBinary(in, contentType, body);
    }
    throw new ProblemException(
        415,
        "Unsupported Media Type",
        "Send the event as "
            + STRUCTURED_MEDIA_TYPE
            + " (structured mode), as its data with ce-* headers (binary mode, data in "
            + JSON_MEDIA_TYPE
            + ") or as "
            + BATCH_MEDIA_TYPE
            + " (batch mode); got '"
            + (contentType == null ? "no content type" : contentType)
            + "'.");
  }

  private Checked readBinary(Message in, String contentType, byte[] body) {
    if (!media(contentType).equals(JSON_MEDIA_TYPE)) {
      throw new ProblemException(
          415,
          "Unsupported Media Type",
          "In binary mode the body is the event's data, which must be "
              + JSON_MEDIA_TYPE
              + "; got '"
              + (contentType == null ? "no content type" : contentType)
              + "'.");
    }
    checkSize(body);
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    in.getHeaders()
        .forEach(
            (name, value) -> {
              if (isCeHeader(name)) {
                String attribute = name.substring(3).toLowerCase(Locale.ROOT);
                checkExtensionName(attribute, errors);
                headers.put("ce-" + attribute, value == null ? "" : value.toString());
              }
            });
    headers.put("content-type", contentType);
    if (!"1.0".equals(headers.get("ce-specversion"))) {
      errors.add("specversion must be \"1.0\" (header ce-specversion)");
    }
    if (!errors.isEmpty()) {
      throw invalid("The CloudEvent attributes are invalid.", errors);
    }
    JsonNode data = readJson(body, "the event's data (binary mode)");
    CloudEvent event;
    try {
      event = HttpMessageFactory.createReader(headers, body).toEvent();
    } catch (RuntimeException e) {
      throw invalid("The CloudEvent attributes are invalid.", List.of(sdkReason(e)));
    }
    return check(event, data);
  }

  /**
   * Checks one structured event (a request's body or one entry of a batch), read by the hub's
   * strict mapper, with the SDK.
   */
  public Checked checkStructured(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw badRequest("The body must be a JSON object (a CloudEvent in structured mode).");
    }
    List<String> errors = new ArrayList<>();
    JsonNode specversion = node.get("specversion");
    if (specversion == null || !specversion.isTextual() || !"1.0".equals(specversion.asText())) {
      errors.add("specversion must be \"1.0\"");
    }
    for (String required : List.of("id", "source", "type")) {
      JsonNode value = node.get(required);
      if (value == null || !value.isTextual() || value.asText().isBlank()) {
        errors.add(required + " is required and must be a non-empty string");
      }
    }
    for (String optional : List.of("time", "subject", "datacontenttype", "dataschema")) {
      JsonNode value = node.get(optional);
      if (value != null && !value.isNull() && !value.isTextual()) {
        errors.add(optional + " must be a string");
      }
    }
    if (node.has("data_base64")) {
      errors.add("data must be a JSON object (data_base64 is not taken)");
    }
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!CONTEXT_ATTRIBUTES.contains(name)) {
                checkExtensionName(name, errors);
                JsonNode value = node.get(name);
                if (!value.isTextual() && !value.isIntegralNumber() && !value.isBoolean()) {
                  errors.add(
                      "extension attribute values are strings, integers or booleans ("
                          + quoted(name)
                          + ")");
                }
              }
            });
    if (!errors.isEmpty()) {
      throw invalid("The CloudEvent attributes are invalid.", errors);
    }
    CloudEvent event;
    try {
      event = sdkMapper.treeToValue(node, CloudEvent.class);
    } catch (JsonProcessingException | RuntimeException e) {
      throw invalid("The CloudEvent attributes are invalid.", List.of(sdkReason(e)));
    }
    return check(event, node.get("data"));
  }

  /** The hub's rules on an event the SDK read: lengths, content type, sources, catalog, schema. */
  private Checked check(CloudEvent event, JsonNode data) {
    List<String> errors = new ArrayList<>();
    if (event.getSpecVersion() != SpecVersion.V1) {
      errors.add("specversion must be \"1.0\"");
    }
    for (String attribute : List.of("id", "source", "type")) {
      Object value = event.getAttribute(attribute);
      String text = value == null ? "" : value.toString();
      if (text.isBlank()) {
        errors.add(attribute + " is required and must be a non-empty string");
      } else if (text.length() > MAX_ATTRIBUTE_LENGTH) {
        errors.add(attribute + " is longer than " + MAX_ATTRIBUTE_LENGTH + " characters");
      }
    }
    String contentType = event.getDataContentType();
    if (contentType != null && !media(contentType).equals(JSON_MEDIA_TYPE)) {
      errors.add("datacontenttype must be application/json");
    }
    if (!errors.isEmpty()) {
      throw invalid("The CloudEvent attributes are invalid.", errors);
    }
    if (EventIdentity.isHubSource(event.getSource().toString())) {
      throw new ProblemException(
          403,
          "Forbidden",
          "Sources under "
              + EventIdentity.HUB_SOURCE_PREFIX
              + " are the hub's own, for the events it makes itself; use your service's source.");
    }
    EventCatalog.Route route = checkData(event.getType(), data);
    if (!route.intake()) {
      throw new ProblemException(
          403,
          "Forbidden",
          "Events of type "
              + route.type()
              + " are published by the hub itself (from signed callbacks or its own decisions),"
              + " not through POST /api/events.");
    }
    return new Checked(event, route, data);
  }

  /**
   * Makes the message the Kafka record of a checked event: {@code ce_*} headers from its attributes
   * and extensions, {@code content-type} from its datacontenttype (application/json when it has
   * none), key and topic from the catalog, the data as the value. Every other header is dropped.
   */
  public void writeRecord(Message in, Checked checked) {
    CloudEvent event = checked.event();
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("id", event.getId());
    attributes.put("type", event.getType());
    attributes.put("source", event.getSource().toString());
    attributes.put(
        "time",
        event.getTime() == null
            ? null
            : event.getTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    attributes.put("subject", event.getSubject());
    attributes.put(
        "dataschema", event.getDataSchema() == null ? null : event.getDataSchema().toString());
    for (String extension : event.getExtensionNames()) {
      attributes.put(extension, text(event.getExtension(extension)));
    }
    write(in, attributes, event.getDataContentType(), checked.route(), checked.data());
  }

  /**
   * Makes the message the Kafka record of an event the hub makes itself, whose data already passed
   * {@link #checkData}: {@code ce_*} headers from the attributes (null ones left out), {@code
   * ce_dataschema} pointing at {@code GET /api/schemas/<type>}, key and topic from the catalog, the
   * data as the value. Every other header is dropped.
   */
  public void writeRecord(
      Message in, Map<String, String> attributes, EventCatalog.Route route, JsonNode data) {
    Map<String, String> all = new LinkedHashMap<>(attributes);
    if (schemaBaseUrl != null && all.get("dataschema") == null) {
      all.put("dataschema", schemaBaseUrl + route.type());
    }
    write(in, all, JSON_MEDIA_TYPE, route, data);
  }

  private void write(
      Message in,
      Map<String, String> attributes,
      String contentType,
      EventCatalog.Route route,
      JsonNode data) {
    in.removeHeaders("*");
    in.setHeader("ce_specversion", "1.0");
    attributes.forEach(
        (attribute, value) -> {
          if (value != null) {
            in.setHeader("ce_" + attribute, value);
          }
        });
    in.setHeader(KAFKA_CONTENT_TYPE, contentType == null ? JSON_MEDIA_TYPE : contentType);
    // W3C trace context as the consumers' tracing reads it (io.eventhub.tracing.TracingBeans)
    for (String trace : List.of("traceparent", "tracestate")) {
      if (attributes.get(trace) != null) {
        in.setHeader(trace, attributes.get(trace));
      }
    }
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
   * outside services: every {@code ce_*} header (extensions such as traceparent included), the
   * {@code content-type} header as datacontenttype, the value as data; written by the SDK.
   */
  public void toStructured(Exchange exchange) {
    Message in = exchange.getMessage();
    CloudEventBuilder builder = CloudEventBuilder.v1();
    String contentType = JSON_MEDIA_TYPE;
    try {
      for (Map.Entry<String, Object> header : in.getHeaders().entrySet()) {
        String name = header.getKey();
        if (name.length() > 3 && name.regionMatches(true, 0, "ce_", 0, 3)) {
          String attribute = name.substring(3).toLowerCase(Locale.ROOT);
          if (!attribute.equals("specversion") && header.getValue() != null) {
            builder.withContextAttribute(attribute, header.getValue().toString());
          }
        } else if (name.equalsIgnoreCase(KAFKA_CONTENT_TYPE) && header.getValue() != null) {
          contentType = header.getValue().toString();
        }
      }
      String data = in.getBody(String.class);
      builder.withData(
          contentType, data == null ? new byte[0] : data.getBytes(StandardCharsets.UTF_8));
      in.setBody(new String(format.serialize(builder.build()), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new MalformedEventException(
          "The record's ce_* headers are not a CloudEvent: " + sdkReason(e));
    }
  }

  /** A body read by the hub's strict mapper, or 400 saying where it stopped being JSON. */
  JsonNode readJson(byte[] body, String what) {
    if (body == null || body.length == 0) {
      throw badRequest("The request has no body; send " + what + ".");
    }
    try {
      JsonNode node = mapper.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw badRequest("The request has no body; send " + what + ".");
      }
      return node;
    } catch (java.io.IOException e) {
      throw badRequest(StrictJson.reason("The body", e) + ".");
    }
  }

  void checkSize(byte[] body) {
    if (body != null && body.length > maxBytes) {
      throw new ProblemException(
          413,
          "Payload Too Large",
          "The event has " + body.length + " bytes; the limit is " + maxBytes + ".",
          Map.of("limit", maxBytes));
    }
  }

  int maxBytes() {
    return maxBytes;
  }

  private static void checkExtensionName(String name, List<String> errors) {
    if (!CONTEXT_ATTRIBUTES.contains(name) && !EXTENSION_NAME.matcher(name).matches()) {
      errors.add(
          "extension attribute names are lower-case letters a-z and digits, at most 20: "
              + quoted(name)
              + " is not one");
    }
  }

  private static boolean isCeHeader(String name) {
    return name != null && name.length() > 3 && name.regionMatches(true, 0, "ce-", 0, 3);
  }

  /** A name for a problem answer: as it is when short printable ASCII, else only its length. */
  private static String quoted(String name) {
    return name.length() <= 64 && name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"')
        ? "'" + name + "'"
        : "a name of " + name.length() + " characters";
  }

  /** Why the SDK refused, in its kind's words (its own message may quote the event). */
  private static String sdkReason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CloudEventRWException rw) {
        return switch (rw.getKind()) {
          case INVALID_SPEC_VERSION -> "specversion must be \"1.0\"";
          case INVALID_ATTRIBUTE_NAME, INVALID_EXTENSION_NAME ->
              "an attribute name is not valid (lower-case letters a-z and digits)";
          case INVALID_ATTRIBUTE_TYPE -> "an attribute has the wrong type";
          case INVALID_ATTRIBUTE_VALUE ->
              "an attribute value is not valid (source and dataschema are URI references,"
                  + " time an RFC 3339 timestamp)";
          default -> "the event is not a CloudEvent";
        };
      }
      if (t instanceof IllegalStateException) {
        return "id, source and type are required";
      }
    }
    return "the event is not a CloudEvent";
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof OffsetDateTime time) {
      return time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof URI uri) {
      return uri.toString();
    }
    return value.toString();
  }

  static String media(String contentType) {
    return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  static ProblemException badRequest(String detail) {
    return new ProblemException(400, "Bad Request", detail);
  }

  static ProblemException invalid(String detail, List<String> errors) {
    return new ProblemException(400, "Invalid Event", detail, Map.of("errors", errors));
  }
}
