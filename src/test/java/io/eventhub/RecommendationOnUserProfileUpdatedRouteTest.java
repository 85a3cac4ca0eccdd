package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.ProfileEvents;
import io.eventhub.support.RouteTestConfiguration;
import java.util.List;
import org.apache.camel.EndpointInject;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routes/recommendation-on-user-profile-updated.camel.yaml: the Kafka consumer replaced by a direct
 * endpoint, the recommendation service and the dead letter topic mocked.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = "recommendation-on-user-profile-updated=direct:users-events",
    mockEndpointsAndSkip = "(http|kafka):.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/outside-services.camel.yaml,file:routes/consumer-templates.camel.yaml,file:routes/recommendation-on-user-profile-updated.camel.yaml",
      "hub.services.recommendation.url=http://recommendation.test/preferences"
    })
class RecommendationOnUserProfileUpdatedRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:users-events")
  ProducerTemplate users;

  @EndpointInject("mock:http:recommendation.test/preferences")
  MockEndpoint recommendation;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(recommendation.getCamelContext());
  }

  @Test
  void sendsTheChangedPreferencesAndNothingPersonal() throws Exception {
    String userId = ProfileEvents.newUserId();
    String eventId = ProfileEvents.newEventId();
    recommendation.expectedMessageCount(1);

    consume(eventId, userId, List.of("name", "preferences.categories", "email"));

    recommendation.assertIsSatisfied();
    var request = recommendation.getExchanges().get(0).getMessage();
    assertThat(request.getHeader("Idempotency-Key"))
        .as("the event's (source, id)")
        .isEqualTo("/test " + eventId);
    assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
    JsonNode sent = JSON.readTree(request.getBody(String.class));
    assertThat(sent.get("userId").asText()).isEqualTo(userId);
    assertThat(sent.get("version").asLong()).isEqualTo(4);
    assertThat(sent.get("changedFields").toString()).isEqualTo("[\"preferences.categories\"]");
    assertThat(sent.get("preferences").toString())
        .isEqualTo("{\"categories\":[\"books\",\"garden-4\"]}");
    assertThat(sent.toString()).doesNotContain("@", ProfileEvents.NAME);
  }

  @Test
  void allPreferencesWhenThePreferencesAsAWholeChanged() throws Exception {
    recommendation.expectedMessageCount(1);

    consume(ProfileEvents.newEventId(), ProfileEvents.newUserId(), List.of("preferences"));

    recommendation.assertIsSatisfied();
    JsonNode sent =
        JSON.readTree(recommendation.getExchanges().get(0).getMessage().getBody(String.class));
    assertThat(sent.get("preferences").fieldNames())
        .toIterable()
        .containsExactly("language", "newsletter", "categories", "ui");
  }

  @Test
  void nothingWhenNoPreferenceChanged() throws Exception {
    recommendation.expectedMessageCount(0);

    consume(ProfileEvents.newEventId(), ProfileEvents.newUserId(), List.of("name", "email"));

    recommendation.assertIsSatisfied();
  }

  @Test
  void aRedeliveredEventIsSentOnce() throws Exception {
    String userId = ProfileEvents.newUserId();
    String eventId = ProfileEvents.newEventId();
    recommendation.expectedMessageCount(1);

    consume(eventId, userId, List.of("preferences.language"));
    consume(eventId, userId, List.of("preferences.language"));

    recommendation.assertIsSatisfied();
  }

  private void consume(String eventId, String userId, List<String> changedFields) {
    users.sendBodyAndHeaders(
        ProfileEvents.data(userId, 4, changedFields), ProfileEvents.headers(eventId, userId));
  }
}
