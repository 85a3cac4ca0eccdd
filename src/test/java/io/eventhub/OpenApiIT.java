package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.HubRunner;
import io.eventhub.support.OpenApiCoverage;
import io.eventhub.support.TestEngines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API description of the hub as it runs in production (every route file, the door closed):
 * {@code /api/openapi.json} and Swagger UI at {@code /api/docs}, both read without a token, while
 * the rest of {@code /api/*} still needs one.
 */
class OpenApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static HubRunner hub;

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    hub = new HubRunner(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
  }

  /** A GET without any token. */
  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(hub.url(path)))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theDocumentDescribesEveryRestVerbAndHandlerOfTheRunningHub() throws Exception {
    HttpResponse<String> answer = get("/api/openapi.json");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode doc = JSON.readTree(answer.body());
    List<String> endpoints = new ArrayList<>(OpenApiCoverage.restVerbs(hub.context()));
    // the production routes: every rest: of routes/ but the dev stand-ins
    assertThat(endpoints).hasSize(OpenApiCoverage.restVerbsInRouteFiles());
    assertThat(endpoints).contains("get /api/orders/{id}", "post /api/events");
    endpoints.addAll(OpenApiCoverage.HANDLERS);
    OpenApiCoverage.assertDescribed(doc, endpoints);
    // nothing from a route file that is not loaded (the stand-ins are the dev profile's)
    assertThat(doc.path("paths").has("/stand-ins/{service}")).isFalse();
    OpenApiCoverage.assertValidOpenApi31(answer.body());
  }

  @Test
  void swaggerUiIsServedOnTheDocumentWithoutAToken() throws Exception {
    HttpResponse<String> page = get("/api/docs");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body())
        .contains(
            "/api/docs/swagger-ui.css", "/api/docs/swagger-ui-bundle.js", "/api/docs/hub-docs.js");

    HttpResponse<String> init = get("/api/docs/hub-docs.js");
    assertThat(init.statusCode()).isEqualTo(200);
    assertThat(init.body()).contains("SwaggerUIBundle", "\"/api/openapi.json\"");
    for (String file : List.of("swagger-ui-bundle.js", "swagger-ui.css")) {
      HttpResponse<String> served = get("/api/docs/" + file);
      assertThat(served.statusCode()).as(file).isEqualTo(200);
      assertThat(served.body().length()).as(file).isGreaterThan(10_000);
    }
    HttpResponse<String> missing = get("/api/docs/missing.js");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void theRestOfTheApiStillNeedsAToken() throws Exception {
    for (String path : List.of("/api/orders/order-x", "/api/docs/a/b", "/api/openapi.jsonx")) {
      HttpResponse<String> answer = get(path);
      assertThat(answer.statusCode()).as(path).isEqualTo(401);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
  }
}
