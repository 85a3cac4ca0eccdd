package io.eventhub;

import static io.eventhub.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.Events;
import io.eventhub.support.InboxAtAnswer;
import io.eventhub.support.RouteTestConfiguration;
import java.util.List;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.AdviceRouteMapping;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** routes/intake-events.camel.yaml, with Kafka mocked. */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    mockEndpointsAndSkip = "kafka:*",
    advices = @AdviceRouteMapping(route = "intake-event", advice = InboxAtAnswer.Intake.class),
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/intake-events.camel.yaml,file:routes/intake-batch.camel.yaml",
      "hub.intake.max-bytes=2048"
    })
class IntakeEventsRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:intake-event")
  ProducerTemplate intake;

  @EndpointInject("mock:kafka:intake")
  MockEndpoint kafka;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(kafka.getCamelContext());
  }

  @Test
  void publishesTheEventInBinaryModeKeyedByItsAggregate() throws Exception {
    String[] event = Events.orderCreated();
    kafka.expectedMessageCount(1);

    Exchange answer = post("application/cloudevents+json", event[1]);

    kafka.assertIsSatisfied();
    Exchange published = kafka.getExchanges().get(0);
    assertThat(published.getMessage().getHeader("ce_id")).isEqualTo(event[0]);
    assertThat(published.getMessage().getHeader("ce_type")).isEqualTo("OrderCreated");
    assertThat(published.getMessage().getHeader("ce_source")).isEqualTo("/shop/checkout");
    assertThat(published.getMessage().getHeader(KafkaConstants.OVERRIDE_TOPIC))
        .isEqualTo("orders.events");
    JsonNode data = JSON.readTree(published.getMessage().getBody(String.class));
    assertThat(published.getMessage().getHeader(KafkaConstants.KEY))
        .isEqualTo(data.get("orderId").asText());
    assertThat(data.has("specversion")).as("the value is the data only").isFalse();
    assertThat(published.getMessage().getHeaders().keySet())
        .as("no HTTP header leaks into the record")
        .allMatch(
            h ->
                h.startsWith("ce_")
                    || h.startsWith("kafka.")
                    || h.startsWith("Camel")
                    || h.equals("content-type"));
    // datacontenttype, in the Kafka binding's header: the structured default, not the HTTP one
    assertThat(published.getMessage().getHeader("content-type")).isEqualTo("application/json");
    assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(202);
    assertThat(JSON.readTree(answer.getMessage().getBody(String.class)).get("id").asText())
        .isEqualTo(event[0]);
  }

  @Test
  void anEventIsRememberedBeforeItsAnswerIsMade() throws Exception {
    Exchange answer = post("application/cloudevents+json", Events.orderCreated()[1]);

    assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(202);
    // not once the exchange is done: over HTTP that is on the server's event loop, after the 202
    assertThat(InboxAtAnswer.heldAtAnswer(answer.getProperty("eventKey", String.class)))
        .as("the intake inbox held the event when its 202 was made")
        .contains(true);
  }

  @Test
  void eventsTheHubPublishesItselfAreRefused() throws Exception {
    kafka.expectedMessageCount(0);
    String forged =
        "{\"specversion\":\"1.0\",\"id\":\"evt-forged\",\"source\":\"/somewhere\","
            + "\"type\":\"PaymentSucceeded\",\"data\":{\"paymentId\":\"p\",\"orderId\":\"o\","
            + "\"amount\":{\"value\":1,\"currency\":\"EUR\"}}}";

    assertProblem(post("application/cloudevents+json", forged), 403);

    kafka.assertIsSatisfied();
  }

  @Test
  void theHubsOwnSourcesAreRefused() throws Exception {
    String[] event = Events.orderCreated();
    kafka.expectedMessageCount(0);

    for (String source : List.of("/hub/order-saga", "/hub/inventory", "/hub/payments", "/hub")) {
      assertProblem(
          post("application/cloudevents+json", event[1].replace("/shop/checkout", source)), 403);
    }

    kafka.assertIsSatisfied();
  }

  @Test
  void sourceAndIdAreKeptApartWhateverTheyContain() throws Exception {
    String[] event = Events.orderCreated();
    kafka.expectedMessageCount(2);

    // a source is a URI reference (CloudEvents): one with a space is refused, its escape taken;
    // a plain join of a decoded source would make both "/shop a b": each is its own event
    assertProblem(
        post(
            "application/cloudevents+json",
            event[1].replace("/shop/checkout", "/shop a").replace(event[0], "b " + event[0])),
        400);
    post(
        "application/cloudevents+json",
        event[1].replace("/shop/checkout", "/shop%20a").replace(event[0], "b " + event[0]));
    post(
        "application/cloudevents+json",
        event[1].replace("/shop/checkout", "/shop").replace(event[0], "a b " + event[0]));

    kafka.assertIsSatisfied();
    assertThat(kafka.getExchanges().get(0).getMessage().getHeader("ce_source"))
        .isEqualTo("/shop%20a");
  }

  @Test
  void theAnswerIsValidJsonWhateverTheId() throws Exception {
    String[] event = Events.orderCreated();
    String oddId = "evt-\\\"quoted\\\"-" + java.util.UUID.randomUUID();
    kafka.expectedMessageCount(1);

    Exchange answer = post("application/cloudevents+json", event[1].replace(event[0], oddId));

    kafka.assertIsSatisfied();
    assertThat(JSON.readTree(answer.getMessage().getBody(String.class)).get("id").asText())
        .isEqualTo(oddId.replace("\\", ""));
  }

  @Test
  void aRetriedEventIdIsAcceptedButPublishedOnce() throws Exception {
    String[] event = Events.orderCreated();
    kafka.expectedMessageCount(1);

    Exchange first = post("application/cloudevents+json", event[1]);
    Exchange second = post("application/cloudevents+json", event[1]);

    kafka.assertIsSatisfied();
    assertThat(first.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(202);
    assertThat(second.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(202);
  }

  @Test
  void theSameIdFromAnotherSourceIsAnotherEvent() throws Exception {
    String[] event = Events.orderCreated();
    kafka.expectedMessageCount(2);

    post("application/cloudevents+json", event[1]);
    post("application/cloudevents+json", event[1].replace("/shop/checkout", "/shop/mobile-app"));

    kafka.assertIsSatisfied();
  }

  @Test
  void anEventTheBrokerDidNotTakeCanBeSentAgain() throws Exception {
    String[] event = Events.orderCreated();
    kafka.whenExchangeReceived(
        1,
        exchange -> {
          throw new IllegalStateException("broker unavailable");
        });
    kafka.expectedMessageCount(2);

    Exchange failed = post("application/cloudevents+json", event[1]);
    Exchange retried = post("application/cloudevents+json", event[1]);

    kafka.assertIsSatisfied();
    assertThat(failed.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(500);
    assertThat(failed.getMessage().getBody(String.class))
        .contains("reference")
        .doesNotContain("broker unavailable")
        .doesNotContain("IllegalStateException");
    assertThat(retried.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(202);
  }

  @Test
  void rejectsBadInputWithProblemDetailsAndPublishesNothing() throws Exception {
    String valid = Events.orderCreated()[1];
    kafka.expectedMessageCount(0);

    assertProblem(post("text/plain", valid), 415);
    assertProblem(post("application/cloudevents+json", ""), 400);
    assertProblem(post("application/cloudevents+json", "[1, 2]"), 400);
    assertProblem(post("application/cloudevents+json", "{not json"), 400);
    assertProblem(post("application/cloudevents+json", valid.replace("\"1.0\"", "\"0.3\"")), 400);
    assertProblem(
        post("application/cloudevents+json", valid.replace("\"OrderCreated\"", "\"Nope\"")), 400);
    assertProblem(
        post("application/cloudevents+json", valid.replace("2026-11-26T10:00:00Z", "yesterday")),
        400);
    assertProblem(
        post(
            "application/cloudevents+json",
            valid.replace("\"quantity\": 2", "\"quantity\": \"2\"")),
        400);
    assertProblem(
        post("application/cloudevents+json", valid.replace("customer-7", "x".repeat(3000))), 413);

    kafka.assertIsSatisfied();
  }

  private Exchange post(String contentType, String body) {
    return intake.send(
        exchange -> {
          exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
          exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/api/events");
          exchange.getMessage().setBody(body);
        });
  }
}
