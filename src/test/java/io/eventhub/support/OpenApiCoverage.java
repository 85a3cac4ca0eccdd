package io.eventhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What the API description must hold: every REST verb of the running routes (read from the
 * context's REST definitions) and the endpoints that are Vert.x handlers, each with its method and
 * path and at least one 4xx answer that is a problem; and that it is valid OpenAPI 3.1.
 */
public final class OpenApiCoverage {

  /** The endpoints that are Vert.x handlers, not REST DSL: method and path. */
  public static final List<String> HANDLERS =
      List.of("post /api/files", "get /api/files/{id}/events", "get /live/chats/{chatId}");

  private OpenApiCoverage() {}

  /** "method path" of every REST verb the context has, except those kept out of the document. */
  public static List<String> restVerbs(CamelContext context) {
    List<String> verbs = new ArrayList<>();
    for (RestDefinition rest :
        context.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
      for (VerbDefinition verb : rest.getVerbs()) {
        if ("false".equals(verb.getApiDocs())) {
          continue;
        }
        verbs.add(
            verb.asVerb().toLowerCase(Locale.ROOT) + " " + path(rest.getPath(), verb.getPath()));
      }
    }
    return verbs;
  }

  /**
   * How many REST verbs the route files of routes/ declare (the dev profile's stand-ins aside),
   * those kept out of the document ({@code apiDocs: false}) not counted: what a hub running every
   * production route must have.
   */
  @SuppressWarnings("unchecked")
  public static int restVerbsInRouteFiles() throws IOException {
    int count = 0;
    try (Stream<java.nio.file.Path> files = Files.list(Path.of("routes"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
        Object yaml =
            new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        for (Object item : (List<Object>) yaml) {
          Object rest = ((Map<String, Object>) item).get("rest");
          if (rest == null) {
            continue;
          }
          for (String method : List.of("get", "post", "put", "delete", "patch", "head")) {
            Object verbs = ((Map<String, Object>) rest).get(method);
            if (verbs instanceof List<?> list) {
              count +=
                  (int)
                      list.stream()
                          .filter(
                              v -> !"false".equals(String.valueOf(((Map<?, ?>) v).get("apiDocs"))))
                          .count();
            }
          }
        }
      }
    }
    return count;
  }

  private static String path(String base, String verbPath) {
    String path = (base == null ? "" : base) + (verbPath == null ? "" : "/" + verbPath);
    path = path.replaceAll("/+", "/");
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Each endpoint is in the document, with a 4xx answer whose body is the Problem schema. */
  public static void assertDescribed(JsonNode document, List<String> endpoints) {
    assertThat(endpoints).isNotEmpty();
    for (String endpoint : endpoints) {
      String method = endpoint.substring(0, endpoint.indexOf(' '));
      String path = endpoint.substring(endpoint.indexOf(' ') + 1);
      JsonNode operation = document.path("paths").path(path).path(method);
      assertThat(operation.isObject()).as(endpoint + " is in the document").isTrue();
      assertThat(operation.path("description").asText())
          .as(endpoint + " is described")
          .isNotBlank();
      List<String> problems = new ArrayList<>();
      operation
          .path("responses")
          .fields()
          .forEachRemaining(
              response -> {
                String ref =
                    response
                        .getValue()
                        .path("content")
                        .path("application/problem+json")
                        .path("schema")
                        .path("$ref")
                        .asText();
                if (response.getKey().startsWith("4")
                    && ref.equals("#/components/schemas/Problem")) {
                  problems.add(response.getKey());
                }
              });
      assertThat(problems).as(endpoint + ": a 4xx answer that is a problem").isNotEmpty();
    }
    assertThat(document.path("components").path("schemas").path("Problem").isObject()).isTrue();
  }

  /** The document is valid OpenAPI 3.1, every reference resolving. */
  public static void assertValidOpenApi31(String json) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
    assertThat(result.getMessages()).as("swagger-parser's messages").isEmpty();
    assertThat(result.getOpenAPI()).isNotNull();
    assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1");
  }
}
