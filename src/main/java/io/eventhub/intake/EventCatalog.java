package io.eventhub.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.eventhub.json.JsonNumbers;
import io.eventhub.json.Money;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The event types the hub knows: for each, its topic, the data field that is the record key, and
 * the JSON Schema its {@code data} must match ({@code schemas/<type>.schema.json}).
 */
public class EventCatalog {

  /**
   * Where an event type goes on Kafka; {@code intake} says whether clients may post it to {@code
   * POST /api/events} (the others are published by the hub itself, from verified callbacks or its
   * own decisions).
   */
  public record Route(
      String type, String topic, String keyField, boolean intake, JsonSchema schema) {}

  private final Map<String, Route> routes = new TreeMap<>();

  public EventCatalog(ObjectMapper mapper) {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    JsonNode catalog = read(mapper, "schemas/catalog.json");
    for (Iterator<Map.Entry<String, JsonNode>> it = catalog.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String type = entry.getKey();
      try (InputStream schema = resource("schemas/" + type + ".schema.json")) {
        routes.put(
            type,
            new Route(
                type,
                entry.getValue().get("topic").asText(),
                entry.getValue().get("key").asText(),
                entry.getValue().path("intake").asBoolean(false),
                factory.getSchema(schema, config)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public Route route(String type) {
    return routes.get(type);
  }

  public Set<String> types() {
    return routes.keySet();
  }

  /** The topics of all known event types, each once. */
  public List<String> topics() {
    return routes.values().stream().map(Route::topic).distinct().sorted().toList();
  }

  /** What is wrong with {@code data} for this type, one line per problem; empty when valid. */
  public List<String> violations(Route route, JsonNode data) {
    Set<ValidationMessage> messages = route.schema().validate(data);
    List<String> violations =
        new ArrayList<>(messages.stream().map(ValidationMessage::getMessage).sorted().toList());
    // exactly: 1.0 passes JSON Schema's "integer", not the hub's
    violations.addAll(JsonNumbers.fractionsWhereIntegers(route.schema().getSchemaNode(), data));
    if (data.has("amount")) {
      // money: a decimal with at most its currency's decimals, a currency Java knows
      violations.addAll(Money.violations(data.get("amount"), "amount"));
    }
    return violations;
  }

  private static JsonNode read(ObjectMapper mapper, String path) {
    try (InputStream in = resource(path)) {
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String path) throws IOException {
    InputStream in = EventCatalog.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IOException("missing resource " + path);
    }
    return in;
  }
}
