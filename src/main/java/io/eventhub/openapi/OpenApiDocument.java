package io.eventhub.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.RestOpenApiReader;
import org.apache.camel.openapi.RestOpenApiSupport;

/**
 * The hub's OpenAPI 3.1 document ({@code GET /api/openapi.json}): what camel-openapi-java reads
 * from the REST DSL (every {@code rest:} of the routes: paths, operations, descriptions,
 * parameters, response codes, security), merged with {@value #FRAGMENT} (the endpoints that are
 * Vert.x handlers rather than REST DSL, the schemas of request and response bodies, the security
 * schemes), and the event types' JSON Schemas ({@code schemas/<type>.schema.json}, listed in {@code
 * schemas/catalog.json}) as components named for the type. Two rules of the hub are applied to
 * every operation rather than repeated in each route file: a 4xx or 5xx answer is an RFC 9457
 * problem ({@code application/problem+json}, the {@code Problem} schema), and an operation under
 * {@code /api/} that needs the bearer token can be answered 401 and 403 by the door ({@code
 * io.eventhub.security.ApiAccess}).
 *
 * <p>Built on each request from the routes the context has at that moment, so a reloaded route file
 * shows at once.
 */
public class OpenApiDocument {

  static final String FRAGMENT = "openapi/hub-openapi.json";
  static final String PROBLEM_MEDIA_TYPE = "application/problem+json";
  static final String PROBLEM_REF = "#/components/schemas/Problem";
  static final String OPENAPI_PATH = "/api/openapi.json";

  /** Marks an operation of the fragment served by a Vert.x handler: its class. */
  static final String HANDLER = "x-hub-handler";

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private final CamelContext context;
  private final ObjectMapper mapper;
  private final ObjectNode fragment;
  private final Map<String, JsonNode> eventSchemas;

  public OpenApiDocument(CamelContext context, ObjectMapper mapper) {
    this.context = context;
    this.mapper = mapper;
    this.fragment = (ObjectNode) read(FRAGMENT);
    this.eventSchemas = eventSchemas();
  }

  /** The document as JSON. */
  public String json() throws Exception {
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document());
  }

  /** The document as a tree. */
  public ObjectNode document() throws Exception {
    List<RestDefinition> rests = new RestOpenApiSupport().getRestDefinitions(context);
    BeanConfig config = new BeanConfig();
    config.setVersion("3.1.0");
    String generated =
        RestOpenApiSupport.getJsonFromOpenAPIAsString(
            new RestOpenApiReader()
                .read(context, rests, config, context.getName(), context.getClassResolver()),
            config);
    ObjectNode doc = (ObjectNode) mapper.readTree(generated);
    // the reader's own vendor extensions say only which Camel context an operation is in
    forEachOperation(doc, (path, method, op) -> op.remove("x-camelContextId"));

    ObjectNode merged = mapper.createObjectNode();
    merged.put("openapi", "3.1.0");
    merged.set("info", fragment.get("info").deepCopy());
    merged.set("servers", fragment.get("servers").deepCopy());
    merged.set("security", fragment.get("security").deepCopy());
    merged.set("tags", tags(doc));
    ObjectNode paths = doc.has("paths") ? (ObjectNode) doc.get("paths") : mapper.createObjectNode();
    mergePaths(paths, fragment.get("paths"));
    merged.set("paths", sortedByName(paths));
    ObjectNode components = mapper.createObjectNode();
    if (doc.has("components")) {
      mergeInto(components, doc.get("components"));
    }
    mergeInto(components, fragment.get("components"));
    ObjectNode schemas = components.withObjectProperty("schemas");
    eventSchemas.forEach((type, schema) -> schemas.set(type, schema.deepCopy()));
    merged.set("components", components);

    forEachOperation(merged, this::applyHubRules);
    return merged;
  }

  /**
   * The fragment's operations: one marked {@value #HANDLER} (a Vert.x handler, not REST DSL) is
   * added as it is; any other only fills in an operation the REST DSL has (its bodies' schemas), so
   * a route file that is not loaded leaves no trace.
   */
  private static void mergePaths(ObjectNode paths, JsonNode from) {
    from.fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        method -> {
                          ObjectNode item = (ObjectNode) paths.get(path.getKey());
                          JsonNode existing = item == null ? null : item.get(method.getKey());
                          if (existing != null) {
                            mergeInto((ObjectNode) existing, method.getValue());
                          } else if (method.getValue().has(HANDLER)) {
                            if (item == null) {
                              item = paths.putObject(path.getKey());
                            }
                            item.set(method.getKey(), method.getValue().deepCopy());
                          }
                        }));
  }

  /** The hub's rules for every operation (see the class comment). */
  private void applyHubRules(String path, String method, ObjectNode op) {
    ObjectNode responses = op.withObjectProperty("responses");
    boolean door = path.startsWith("/api/") && !path.equals(OPENAPI_PATH);
    if (!door && !op.has("security")) {
      // only /api/* is behind the door: anything else needs no bearer token
      op.putArray("security");
    }
    if (!responses.has("500")) {
      responses
          .putObject("500")
          .put(
              "description",
              "An unexpected failure; the problem quotes a reference to find in the hub's log.");
    }
    if (!responses.has("503") && !path.equals(OPENAPI_PATH)) {
      ObjectNode unavailable = responses.putObject("503");
      unavailable.put(
          "description", "PostgreSQL or Kafka cannot be reached: nothing was done, send it again.");
      unavailable
          .putObject("headers")
          .putObject("Retry-After")
          .put("description", "Seconds to wait before sending it again.")
          .putObject("schema")
          .put("type", "integer");
    }
    boolean bearer = door && !op.has("security");
    if (bearer) {
      if (!responses.has("401")) {
        responses
            .putObject("401")
            .put("description", "No valid bearer token (Authorization: Bearer <token>).");
      }
      if (!responses.has("403")) {
        responses
            .putObject("403")
            .put("description", "The token's client does not have the right for this request.");
      }
    }
    responses
        .fields()
        .forEachRemaining(
            entry -> {
              String code = entry.getKey();
              ObjectNode response = (ObjectNode) entry.getValue();
              if ((code.startsWith("4") || code.startsWith("5")) && !response.has("content")) {
                response
                    .putObject("content")
                    .putObject(PROBLEM_MEDIA_TYPE)
                    .putObject("schema")
                    .put("$ref", PROBLEM_REF);
              }
              if (!response.has("description")) {
                response.put("description", code);
              }
            });
    op.set("responses", sortedByName(responses));
    // the reader names a verb's description its summary; it is the whole description here
    if (op.has("summary") && !op.has("description")) {
      op.set("description", op.get("summary"));
      op.put("summary", firstSentence(op.get("summary").asText()));
    }
  }

  private static String firstSentence(String text) {
    int end = text.indexOf(". ");
    String first = end < 0 ? text : text.substring(0, end);
    return first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
  }

  /** The tags of the REST DSL (one per rest, its description) and of the fragment, once each. */
  private ArrayNode tags(ObjectNode doc) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (JsonNode source : List.of(doc.path("tags"), fragment.path("tags"))) {
      for (JsonNode tag : source) {
        byName.putIfAbsent(tag.path("name").asText(), tag);
      }
    }
    ArrayNode tags = mapper.createArrayNode();
    byName.values().forEach(tags::add);
    return tags;
  }

  /**
   * Adds what {@code from} has and {@code into} lacks, object by object: what the REST DSL says
   * wins over the fragment, and the fragment fills in what the DSL cannot say (schemas).
   */
  static void mergeInto(ObjectNode into, JsonNode from) {
    if (from == null) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = into.get(field.getKey());
      if (existing == null) {
        into.set(field.getKey(), field.getValue().deepCopy());
      } else if (existing.isObject() && field.getValue().isObject()) {
        mergeInto((ObjectNode) existing, field.getValue());
      }
    }
  }

  private ObjectNode sortedByName(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    ObjectNode sorted = mapper.createObjectNode();
    names.forEach(name -> sorted.set(name, node.get(name)));
    return sorted;
  }

  interface OperationVisitor {
    void visit(String path, String method, ObjectNode operation);
  }

  static void forEachOperation(JsonNode doc, OperationVisitor visitor) {
    JsonNode paths = doc.path("paths");
    paths
        .fieldNames()
        .forEachRemaining(
            path ->
                paths
                    .get(path)
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (METHODS.contains(method)) {
                            visitor.visit(path, method, (ObjectNode) paths.get(path).get(method));
                          }
                        }));
  }

  /** The JSON Schema of each event type's data, without the keywords only a root schema has. */
  private Map<String, JsonNode> eventSchemas() {
    Map<String, JsonNode> schemas = new LinkedHashMap<>();
    read("schemas/catalog.json")
        .fieldNames()
        .forEachRemaining(
            type -> {
              ObjectNode schema = (ObjectNode) read("schemas/" + type + ".schema.json");
              schema.remove("$schema");
              schema.remove("$id");
              schema.put(
                  "description",
                  "The data of a " + type + " CloudEvent (schemas/" + type + ".schema.json).");
              schemas.put(type, schema);
            });
    return schemas;
  }

  private JsonNode read(String resource) {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + resource);
      }
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
