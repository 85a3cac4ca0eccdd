package io.eventhub;

import static io.eventhub.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.intake.CloudEvents;
import io.eventhub.intake.EventCatalog;
import io.eventhub.support.Events;
import io.eventhub.support.RouteTestConfiguration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routes/intake-events.camel.yaml in its three CloudEvents modes (structured, binary, batch), with
 * extensions, Kafka mocked; and routes/schemas-api.camel.yaml.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    mockEndpointsAndSkip = "kafka:*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/intake-events.camel.yaml,file:routes/intake-batch.camel.yaml,file:routes/schemas-api.camel.yaml",
      "hub.intake.max-batch=5"
    })
class IntakeModesRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Produce("direct:intake-event")
  ProducerTemplate intake;

  @Produce("direct:list-schemas")
  ProducerTemplate listSchemas;

  @Produce("direct:get-schema")
  ProducerTemplate getSchema;

  @EndpointInject("mock:kafka:intake")
  MockEndpoint kafka;

  @BeanInject("cloudEvents")
  CloudEvents cloudEvents;

  @BeanInject("eventCatalog")
  EventCatalog catalog;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(kafka.getCamelContext());
  }

  @Test
  void binaryModeGivesTheSameRecordAsStructuredModeExtensionsIncluded() throws Exception {
    ObjectNode structured = withExtensions(Events.orderCreated()[1]);
    kafka.expectedMessageCount(2);

    Exchange first = post("application/cloudevents+json", structured.toString(), Map.of());
    ObjectNode binaryEvent = structured.deepCopy();
    binaryEvent.put("id", structured.get("id").asText() + "-binary");
    Exchange second = postBinary(binaryEvent);

    kafka.assertIsSatisfied();
    assertThat(first.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(202);
    assertThat(second.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(202);
    Map<String, Object> a = record(kafka.getExchanges().get(0).getMessage());
    Map<String, Object> b = record(kafka.getExchanges().get(1).getMessage());
    assertThat(b.remove("ce_id")).isEqualTo(structured.get("id").asText() + "-binary");
    assertThat(a.remove("ce_id")).isEqualTo(structured.get("id").asText());
    assertThat(b).isEqualTo(a);
    assertThat(a)
        .containsEntry("ce_traceparent", TRACEPARENT)
        .containsEntry("traceparent", TRACEPARENT)
        .containsEntry("ce_tenant", "acme")
        .containsEntry("ce_dataschema", "https://schemas.example/order-created")
        .containsEntry("content-type", "application/json")
        .containsEntry("ce_specversion", "1.0");
  }

  @Test
  void invalidExtensionNamesAreRefusedInEveryMode() throws Exception {
    kafka.expectedMessageCount(0);
    for (String name : List.of("Tenant", "trace-parent", "x_y", "averyveryverylongextensionname")) {
      ObjectNode event = (ObjectNode) JSON.readTree(Events.orderCreated()[1]);
      event.put(name, "value");
      JsonNode problem =
          assertProblem(post("application/cloudevents+json", event.toString(), Map.of()), 400);
      assertThat(problem.toString()).contains("extension attribute names");
      JsonNode batchProblem =
          assertProblem(
              post("application/cloudevents-batch+json", "[" + event + "]", Map.of()), 400);
      assertThat(batchProblem.at("/invalid/0/index").asInt()).isZero();
    }
    ObjectNode binary = (ObjectNode) JSON.readTree(Events.orderCreated()[1]);
    Map<String, Object> headers = binaryHeaders(binary);
    headers.put("ce-trace_parent", TRACEPARENT);
    assertProblem(post("application/json", binary.get("data").toString(), headers), 400);

    kafka.assertIsSatisfied();
  }

  @Test
  void aBatchIsPublishedAsOneSendInOrderAndAnsweredWithTheIds() throws Exception {
    List<String[]> events = List.of(Events.orderCreated(), Events.orderCreated());
    kafka.expectedMessageCount(1);

    Exchange answer =
        post(
            "application/cloudevents-batch+json",
            "[" + events.get(0)[1] + "," + events.get(1)[1] + "]",
            Map.of());

    kafka.assertIsSatisfied();
    assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(202);
    JsonNode body = JSON.readTree(answer.getMessage().getBody(String.class));
    assertThat(body.get("ids").get(0).asText()).isEqualTo(events.get(0)[0]);
    assertThat(body.get("ids").get(1).asText()).isEqualTo(events.get(1)[0]);
    assertThat(body.get("published").asInt()).isEqualTo(2);
    List<?> records = kafka.getExchanges().get(0).getMessage().getBody(List.class);
    assertThat(records).hasSize(2);
    Message first = (Message) records.get(0);
    assertThat(first.getHeader("ce_id")).isEqualTo(events.get(0)[0]);
    assertThat(first.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("orders.events");
    assertThat(((Message) records.get(1)).getHeader("ce_id")).isEqualTo(events.get(1)[0]);
  }

  @Test
  void duplicatesInsideABatchOrFromEarlierPostsAreSkippedAndReported() throws Exception {
    String[] earlier = Events.orderCreated();
    String[] fresh = Events.orderCreated();
    kafka.expectedMessageCount(2);

    post("application/cloudevents+json", earlier[1], Map.of());
    Exchange answer =
        post(
            "application/cloudevents-batch+json",
            "[" + fresh[1] + "," + earlier[1] + "," + fresh[1] + "]",
            Map.of());

    kafka.assertIsSatisfied();
    JsonNode body = JSON.readTree(answer.getMessage().getBody(String.class));
    assertThat(body.get("published").asInt()).isEqualTo(1);
    assertThat(body.get("ids")).hasSize(3);
    assertThat(body.get("duplicates")).hasSize(2);
    assertThat(body.at("/duplicates/0/index").asInt()).isEqualTo(1);
    assertThat(body.at("/duplicates/0/duplicateOf").asText()).contains("accepted before");
    assertThat(body.at("/duplicates/1/index").asInt()).isEqualTo(2);
    assertThat(body.at("/duplicates/1/duplicateOf").asText()).isEqualTo("index 0");
    assertThat(kafka.getExchanges().get(1).getMessage().getBody(List.class)).hasSize(1);

    // all of them again: nothing new, nothing sent, still 202
    Exchange again = post("application/cloudevents-batch+json", "[" + fresh[1] + "]", Map.of());
    assertThat(again.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(202);
    assertThat(JSON.readTree(again.getMessage().getBody(String.class)).get("published").asInt())
        .isZero();
    assertThat(kafka.getReceivedCounter()).isEqualTo(2);
  }

  @Test
  void aBatchWithBadEventsPublishesNothingAndNamesEachByIndex() throws Exception {
    String good = Events.orderCreated()[1];
    String badType = Events.orderCreated()[1].replace("\"OrderCreated\"", "\"Nope\"");
    String badData = Events.orderCreated()[1].replace("\"quantity\": 2", "\"quantity\": \"2\"");
    kafka.expectedMessageCount(0);

    JsonNode problem =
        assertProblem(
            post(
                "application/cloudevents-batch+json",
                "["
                    + good
                    + ","
                    + badType
                    + ","
                    + good.replace("evt-", "evt-x")
                    + ","
                    + badData
                    + "]",
                Map.of()),
            400);

    assertThat(problem.get("invalid")).hasSize(2);
    assertThat(problem.at("/invalid/0/index").asInt()).isEqualTo(1);
    assertThat(problem.at("/invalid/1/index").asInt()).isEqualTo(3);
    assertThat(problem.at("/invalid/1/errors")).isNotEmpty();
    assertProblem(post("application/cloudevents-batch+json", "[]", Map.of()), 400);
    assertProblem(post("application/cloudevents-batch+json", good, Map.of()), 400);
    assertProblem(
        post(
            "application/cloudevents-batch+json",
            "[" + good.replaceFirst("\"id\":", "\"id\": \"a\", \"id\":") + "]",
            Map.of()),
        400);
    String six = String.join(",", java.util.Collections.nCopies(6, good));
    JsonNode tooMany =
        assertProblem(post("application/cloudevents-batch+json", "[" + six + "]", Map.of()), 413);
    assertThat(tooMany.get("limit").asInt()).isEqualTo(5);

    kafka.assertIsSatisfied();
  }

  @Test
  void binaryModeNeedsJsonDataAndAValidSpecversion() throws Exception {
    ObjectNode event = (ObjectNode) JSON.readTree(Events.orderCreated()[1]);
    kafka.expectedMessageCount(0);

    assertProblem(post("text/plain", event.get("data").toString(), binaryHeaders(event)), 415);
    Map<String, Object> old = binaryHeaders(event);
    old.put("ce-specversion", "0.3");
    assertProblem(post("application/json", event.get("data").toString(), old), 400);
    Map<String, Object> noId = binaryHeaders(event);
    noId.remove("Ce-Id");
    assertProblem(post("application/json", event.get("data").toString(), noId), 400);
    assertProblem(post("application/json", "{\"a\":1,\"a\":2}", binaryHeaders(event)), 400);

    kafka.assertIsSatisfied();
  }

  @Test
  void schemasAreListedAndServed() throws Exception {
    JsonNode list = JSON.readTree(listSchemas.requestBody((Object) null, String.class));
    assertThat(list.get("types").findValuesAsText("type"))
        .contains("OrderCreated", "OrderConfirmed");

    Exchange schema = getSchema.send(e -> e.getMessage().setHeader("type", "OrderCreated"));
    assertThat(schema.getMessage().getHeader(Exchange.CONTENT_TYPE))
        .isEqualTo("application/schema+json");
    JsonNode body = JSON.readTree(schema.getMessage().getBody(String.class));
    assertThat(body.get("$schema")).isNotNull();
    assertThat(body.at("/properties/orderId")).isNotNull();

    Exchange unknown = getSchema.send(e -> e.getMessage().setHeader("type", "Nope"));
    assertProblem(unknown, 404);
  }

  @Test
  void eventsTheHubMakesPointAtTheirSchema() throws Exception {
    Message record = new DefaultMessage(kafka.getCamelContext());
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("id", "evt-decision-1");
    attributes.put("type", "OrderConfirmed");
    attributes.put("source", "/hub/order-saga");
    JsonNode data = JSON.readTree("{\"orderId\": \"order-1\"}");

    cloudEvents.writeRecord(record, attributes, catalog.route("OrderConfirmed"), data);

    assertThat(record.getHeader("ce_dataschema", String.class))
        .startsWith("http")
        .endsWith("/api/schemas/OrderConfirmed");
    assertThat(record.getHeader("content-type")).isEqualTo("application/json");
  }

  private static ObjectNode withExtensions(String json) throws Exception {
    ObjectNode event = (ObjectNode) JSON.readTree(json);
    event.put("traceparent", TRACEPARENT);
    event.put("tenant", "acme");
    event.put("dataschema", "https://schemas.example/order-created");
    return event;
  }

  private static Map<String, Object> binaryHeaders(ObjectNode event) {
    Map<String, Object> headers = new LinkedHashMap<>();
    event
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!name.equals("data") && !name.equals("datacontenttype")) {
                // header names in any case: HTTP headers are case-insensitive
                headers.put(name.equals("id") ? "Ce-Id" : "ce-" + name, event.get(name).asText());
              }
            });
    return headers;
  }

  private Exchange postBinary(ObjectNode event) {
    return post("application/json", event.get("data").toString(), binaryHeaders(event));
  }

  private Exchange post(String contentType, String body, Map<String, Object> headers) {
    return intake.send(
        exchange -> {
          exchange.getMessage().setHeaders(new LinkedHashMap<>(headers));
          exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
          exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/api/events");
          exchange.getMessage().setBody(body);
        });
  }

  private static Map<String, Object> record(Message message) {
    Map<String, Object> record = new LinkedHashMap<>();
    message
        .getHeaders()
        .forEach(
            (name, value) -> {
              if (!name.startsWith("Camel") && !name.startsWith("CAMEL")) {
                record.put(name, value);
              }
            });
    record.put("value", message.getBody(String.class));
    return record;
  }
}
