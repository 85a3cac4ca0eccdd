package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.OpenApiCoverage;
import io.eventhub.support.RouteTestConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/**
 * routes/openapi-api.camel.yaml with every route file that has a {@code rest:} (the dev stand-ins
 * too): the document covers each REST verb and the Vert.x handlers, is valid OpenAPI 3.1, reuses
 * the event schemas; Swagger UI's page and files. Over real HTTP, with the door closed, in
 * OpenApiIT.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    mockEndpointsAndSkip = "kafka:*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,"
          + "file:routes/openapi-api.camel.yaml,"
          + "file:routes/intake-events.camel.yaml,file:routes/intake-batch.camel.yaml,"
          + "file:routes/payment-callback.camel.yaml,"
          + "file:routes/file-callback.camel.yaml,"
          + "file:routes/orders-api.camel.yaml,"
          + "file:routes/inventory-api.camel.yaml,"
          + "file:routes/users-api.camel.yaml,"
          + "file:routes/analytics-api.camel.yaml,"
          + "file:routes/dlq-api.camel.yaml,"
          + "file:routes/schemas-api.camel.yaml,"
          + "file:routes/files-api.camel.yaml,"
          + "file:routes/chats-api.camel.yaml,"
          + "file:routes/dev/stand-in-services.camel.yaml"
    })
class OpenApiRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:openapi-document")
  ProducerTemplate document;

  @Produce("direct:api-docs-page")
  ProducerTemplate page;

  @Produce("direct:api-docs-file")
  ProducerTemplate file;

  private String documentJson() {
    Exchange answer = document.send(e -> {});
    assertThat(answer.getException()).isNull();
    assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
    return answer.getMessage().getBody(String.class);
  }

  @Test
  void everyRestVerbAndEveryHandlerIsDescribedWithItsProblems() throws Exception {
    JsonNode doc = JSON.readTree(documentJson());
    List<String> verbs = OpenApiCoverage.restVerbs(document.getCamelContext());
    // every rest: of the route files loaded here, the dev stand-ins included
    assertThat(verbs)
        .contains(
            "post /api/events",
            "post /callbacks/payments",
            "post /callbacks/files/{fileId}",
            "get /api/openapi.json",
            "get /stand-ins/{service}")
        .hasSize(20);
    List<String> all = new ArrayList<>(verbs);
    all.addAll(OpenApiCoverage.HANDLERS);
    OpenApiCoverage.assertDescribed(doc, all);
    // Swagger UI's page and files are not operations of the API
    assertThat(doc.path("paths").has("/api/docs")).isFalse();
  }

  @Test
  void theDocumentIsValidOpenApi31() {
    OpenApiCoverage.assertValidOpenApi31(documentJson());
  }

  @Test
  void theEventSchemasAreComponentsAndBodiesUseThem() throws Exception {
    JsonNode doc = JSON.readTree(documentJson());
    JsonNode schemas = doc.path("components").path("schemas");
    for (String type : List.of("OrderCreated", "PaymentSucceeded", "ChatMessageSent")) {
      assertThat(schemas.path(type).path("properties").isObject()).as(type).isTrue();
    }
    assertThat(schemas.path("CloudEvent").path("properties").path("data").toString())
        .contains("#/components/schemas/OrderCreated");
    JsonNode post = doc.path("paths").path("/api/events").path("post");
    assertThat(
            post.path("requestBody")
                .path("content")
                .path("application/cloudevents+json")
                .path("schema")
                .path("$ref")
                .asText())
        .isEqualTo("#/components/schemas/CloudEvent");
    assertThat(post.path("parameters").toString()).contains("ce-id");
    // what the REST DSL says (descriptions) and what the fragment adds (schemas), in one answer
    JsonNode order = doc.path("paths").path("/api/orders/{id}").path("get");
    assertThat(order.path("responses").path("200").path("description").asText())
        .isEqualTo("The order.");
    assertThat(order.path("responses").path("200").path("content").toString())
        .contains("#/components/schemas/Order");
  }

  @Test
  void securityIsTheBearerTokenExceptOnCallbacksLiveStreamsAndTheDescription() throws Exception {
    JsonNode doc = JSON.readTree(documentJson());
    assertThat(doc.path("security").toString()).isEqualTo("[{\"bearer\":[]}]");
    JsonNode schemes = doc.path("components").path("securitySchemes");
    assertThat(schemes.path("bearer").path("scheme").asText()).isEqualTo("bearer");
    assertThat(schemes.path("stripeSignature").path("name").asText()).isEqualTo("Stripe-Signature");
    assertThat(schemes.path("standardWebhooks").path("name").asText())
        .isEqualTo("webhook-signature");
    JsonNode paths = doc.path("paths");
    assertThat(paths.path("/callbacks/payments").path("post").path("security").toString())
        .contains("stripeSignature", "standardWebhooks")
        .doesNotContain("bearer");
    assertThat(paths.path("/callbacks/files/{fileId}").path("post").path("security").toString())
        .contains("stripeSignature", "standardWebhooks");
    assertThat(paths.path("/live/chats/{chatId}").path("get").path("security").toString())
        .contains("chatToken");
    assertThat(paths.path("/api/openapi.json").path("get").path("security").toString())
        .isEqualTo("[]");
    // the door's answers on every operation behind it
    JsonNode stock = paths.path("/api/inventory/{sku}").path("put").path("responses");
    assertThat(stock.has("401")).isTrue();
    assertThat(stock.has("403")).isTrue();
  }

  @Test
  void theDocsPageStartsSwaggerUiOnTheDocument() {
    Exchange answer = page.send(e -> {});
    String html = answer.getMessage().getBody(String.class);
    assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class))
        .startsWith("text/html");
    assertThat(html).contains("/api/docs/swagger-ui-bundle.js", "/api/docs/hub-docs.js");

    Exchange init = file.send(e -> e.getMessage().setHeader("file", "hub-docs.js"));
    assertThat(init.getMessage().getBody(String.class)).contains("\"/api/openapi.json\"");
  }

  @Test
  void swaggerUiFilesComeFromTheWebjarAndNothingElse() {
    Exchange bundle = file.send(e -> e.getMessage().setHeader("file", "swagger-ui-bundle.js"));
    assertThat(bundle.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class))
        .startsWith("text/javascript");
    assertThat(bundle.getMessage().getBody(byte[].class).length).isGreaterThan(100_000);

    for (String name : List.of("missing.js", "..", "../pom.properties", "pom.properties")) {
      Exchange refused = file.send(e -> e.getMessage().setHeader("file", name));
      assertThat(refused.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
          .as(name)
          .isEqualTo(404);
      assertThat(refused.getMessage().getHeader(Exchange.CONTENT_TYPE))
          .isEqualTo("application/problem+json");
    }
  }
}
