package io.eventhub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.http.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event types and their JSON Schemas, as {@code routes/schemas-api.camel.yaml} serves them:
 * {@code GET /api/schemas} lists the types, {@code GET /api/schemas/{type}} answers one type's
 * schema ({@code schemas/<type>.schema.json}), the one the {@code dataschema} of the hub's own
 * events points at.
 */
public class EventSchemas {

  public static final String MEDIA_TYPE = "application/schema+json";

  private final EventCatalog catalog;
  private final ObjectMapper mapper;

  public EventSchemas(EventCatalog catalog, ObjectMapper mapper) {
    this.catalog = catalog;
    this.mapper = mapper;
  }

  /** {@code {"types": [{"type", "topic", "key", "intake", "schema"}]}}, by type. */
  public String list() throws JsonProcessingException {
    List<Map<String, Object>> types = new ArrayList<>();
    for (String type : catalog.types()) {
      EventCatalog.Route route = catalog.route(type);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", type);
      entry.put("topic", route.topic());
      entry.put("key", route.keyField());
      entry.put("intake", route.intake());
      entry.put("schema", "/api/schemas/" + type);
      types.add(entry);
    }
    return mapper.writeValueAsString(Map.of("types", types));
  }

  /**
   * The JSON Schema of a type's data.
   *
   * @throws ProblemException 404 for a type the hub does not know
   */
  public String schema(String type) throws JsonProcessingException {
    EventCatalog.Route route = type == null ? null : catalog.route(type);
    if (route == null) {
      throw new ProblemException(
          404,
          "Not Found",
          "The hub knows no event type of that name.",
          Map.of("knownTypes", catalog.types()));
    }
    return mapper.writeValueAsString(route.schema().getSchemaNode());
  }
}
