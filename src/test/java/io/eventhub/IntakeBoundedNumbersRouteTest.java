package io.eventhub;

import static io.eventhub.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventhub.support.Events;
import io.eventhub.support.ProfileEvents;
import io.eventhub.support.RouteTestConfiguration;
import java.util.List;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routes/intake-events.camel.yaml on numbers, money and duplicate keys (Kafka mocked): quantities,
 * versions and amounts are read exactly and refused out of range, money has at most its currency's
 * decimals, a document with a key twice is refused, and no problem quotes what was sent.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    mockEndpointsAndSkip = "kafka:*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/intake-events.camel.yaml,file:routes/intake-batch.camel.yaml"
    })
class IntakeBoundedNumbersRouteTest {

  private static final String TWO_TO_THE_64_PLUS_1 = "18446744073709551617";

  @Produce("direct:intake-event")
  ProducerTemplate intake;

  @EndpointInject("mock:kafka:intake")
  MockEndpoint kafka;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(kafka.getCamelContext());
  }

  @Test
  void quantitiesAreWholeNumbersWithinTheirMaximum() throws Exception {
    kafka.expectedMessageCount(0);
    for (String quantity :
        List.of(TWO_TO_THE_64_PLUS_1, "1e400", "1.5", "1.0", "0", "-1", "1000001")) {
      assertProblem(post(order().replace("\"quantity\": 2", "\"quantity\": " + quantity)), 400);
    }
    kafka.assertIsSatisfied();
  }

  @Test
  void amountsAreMoneyInAKnownCurrency() throws Exception {
    kafka.expectedMessageCount(0);
    for (String amount :
        List.of(
            "{\"value\": 42.505, \"currency\": \"EUR\"}",
            "{\"value\": 42.5, \"currency\": \"JPY\"}",
            "{\"value\": 42.50, \"currency\": \"ZZZ\"}",
            "{\"value\": 1e400, \"currency\": \"EUR\"}",
            "{\"value\": 1000000000000.01, \"currency\": \"EUR\"}",
            "{\"value\": \"42.50\", \"currency\": \"EUR\"}")) {
      JsonNode problem =
          assertProblem(
              post(order().replace("{\"value\": 42.50, \"currency\": \"EUR\"}", amount)), 400);
      assertThat(problem.toString()).as(amount).contains("amount");
    }
    kafka.assertIsSatisfied();
  }

  @Test
  void moneyIsPublishedExactlyAsSent() throws Exception {
    kafka.expectedMessageCount(1);
    post(
        order()
            .replace(
                "{\"value\": 42.50, \"currency\": \"EUR\"}",
                "{\"value\": 12345678901.10, \"currency\": \"EUR\"}"));
    kafka.assertIsSatisfied();
    assertThat(kafka.getExchanges().get(0).getMessage().getBody(String.class))
        .contains("\"value\":12345678901.10");
  }

  @Test
  void aProfileVersionBeyondTwoToThe53IsRefused() throws Exception {
    kafka.expectedMessageCount(1);
    String userId = ProfileEvents.newUserId();
    String good =
        ProfileEvents.cloudEvent(ProfileEvents.newEventId(), userId, 9007199254740991L, List.of());
    assertThat(post(good).getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(202);
    for (String version :
        List.of("9007199254740992", TWO_TO_THE_64_PLUS_1, "1e400", "2.5", "7.0")) {
      assertProblem(
          post(
              ProfileEvents.cloudEvent(ProfileEvents.newEventId(), userId, 7, List.of())
                  .replace("\"version\":7", "\"version\":" + version)),
          400);
    }
    kafka.assertIsSatisfied();
  }

  @Test
  void aDocumentWithADuplicateKeyIsRefused() throws Exception {
    kafka.expectedMessageCount(0);
    String order = order();
    JsonNode top =
        assertProblem(
            post(order.replace("\"specversion\"", "\"id\": \"x\", \"specversion\"")), 400);
    assertThat(top.get("detail").asText()).contains("duplicate key");
    JsonNode inData =
        assertProblem(
            post(
                order.replace(
                    "\"customerId\": \"customer-7\"",
                    "\"customerId\": \"a\", \"customerId\": \"b\"")),
            400);
    assertThat(inData.get("detail").asText())
        .contains("duplicate key")
        .doesNotContain("customerId");
    kafka.assertIsSatisfied();
  }

  @Test
  void anEmailThatCouldCarryHeadersOrANameWithLineBreaksIsRefused() throws Exception {
    kafka.expectedMessageCount(0);
    String userId = ProfileEvents.newUserId();
    String event = ProfileEvents.cloudEvent(ProfileEvents.newEventId(), userId, 3, List.of());
    String email = ProfileEvents.emailOf(userId);
    for (String bad :
        List.of(
            email + "\\r\\nBcc: victim@example.org",
            "\\\"ada\\\"@example.com",
            "ada@example.com, eve@example.org",
            "ada@localhost",
            "ada lovelace@example.com")) {
      JsonNode problem = assertProblem(post(event.replace(email, bad)), 400);
      assertThat(problem.toString()).as(bad).contains("email").doesNotContain("victim");
    }
    JsonNode problem =
        assertProblem(post(event.replace(ProfileEvents.NAME, "Ada\\r\\nSubject: You won")), 400);
    assertThat(problem.toString()).contains("name").doesNotContain("You won");
    kafka.assertIsSatisfied();
  }

  private static String order() {
    return Events.orderCreated()[1];
  }

  private Exchange post(String body) {
    return intake.send(
        exchange -> {
          exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/cloudevents+json");
          exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/api/events");
          exchange.getMessage().setBody(body);
        });
  }
}
