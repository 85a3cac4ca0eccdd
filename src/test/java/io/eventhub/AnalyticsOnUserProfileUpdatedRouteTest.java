package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.ProfileEvents;
import io.eventhub.support.RouteTestConfiguration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routes/analytics-on-user-profile-updated.camel.yaml and routes/analytics-api.camel.yaml on the
 * test PostgreSQL: changes are written by the consumer (Kafka replaced by a direct endpoint) and
 * read back through the query route.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = "analytics-on-user-profile-updated=direct:users-events",
    mockEndpointsAndSkip = "kafka:.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/consumer-templates.camel.yaml,file:routes/analytics-on-user-profile-updated.camel.yaml,file:routes/analytics-api.camel.yaml",
      "hub.analytics.max-rows=2"
    })
class AnalyticsOnUserProfileUpdatedRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OffsetDateTime T1 = OffsetDateTime.parse("2026-11-26T10:00:00Z");
  private static final OffsetDateTime T2 = OffsetDateTime.parse("2026-11-26T11:00:00Z");
  private static final OffsetDateTime T3 = OffsetDateTime.parse("2026-11-26T12:00:00Z");

  @Produce("direct:users-events")
  ProducerTemplate users;

  @Produce("direct:list-profile-changes")
  ProducerTemplate query;

  @EndpointInject("mock:kafka:dead-letters")
  MockEndpoint deadLetters;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(deadLetters.getCamelContext());
  }

  @Test
  void recordsOneRowPerChangeAndAnswersThemOldestFirst() throws Exception {
    String userId = ProfileEvents.newUserId();
    String first = ProfileEvents.newEventId();
    String second = ProfileEvents.newEventId();

    consume(second, userId, 2, List.of("preferences.language"), T2);
    consume(first, userId, 1, List.of("name", "email"), T1);
    // delivered again, or replayed from the DLQ: no second row
    consume(first, userId, 1, List.of("name", "email"), T1);

    JsonNode answer = get(userId, null);
    assertThat(answer.get("userId").asText()).isEqualTo(userId);
    assertThat(answer.get("count").asInt()).isEqualTo(2);
    JsonNode changes = answer.get("changes");
    assertThat(changes.get(0).get("eventId").asText()).isEqualTo(first);
    assertThat(changes.get(0).get("version").asLong()).isEqualTo(1);
    assertThat(changes.get(0).get("changedFields").toString()).isEqualTo("[\"name\",\"email\"]");
    assertThat(changes.get(0).get("changedAt").asText()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(changes.get(0).has("recordedAt")).isTrue();
    assertThat(changes.get(1).get("eventId").asText()).isEqualTo(second);
    assertThat(answer.toString()).doesNotContain("@");
  }

  @Test
  void sinceLeavesOutOlderChangesAndMaxRowsBoundsTheAnswer() throws Exception {
    String userId = ProfileEvents.newUserId();
    consume(ProfileEvents.newEventId(), userId, 1, List.of("name"), T1);
    consume(ProfileEvents.newEventId(), userId, 2, List.of("name"), T2);
    consume(ProfileEvents.newEventId(), userId, 3, List.of("name"), T3);

    JsonNode since = get(userId, "2026-11-26T10:30:00Z");
    assertThat(since.get("since").asText()).isEqualTo("2026-11-26T10:30:00Z");
    assertThat(since.get("changes").findValuesAsText("version")).containsExactly("2", "3");
    assertThat(get(userId, null).get("count").asInt()).as("hub.analytics.max-rows").isEqualTo(2);
    assertThat(get(ProfileEvents.newUserId(), null).get("count").asInt()).isZero();
  }

  @Test
  void aQueryWithoutUserOrWithABadTimeIsAProblem() throws Exception {
    Exchange noUser = request(Map.of());
    assertThat(noUser.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
    assertThat(noUser.getMessage().getHeader(Exchange.CONTENT_TYPE))
        .isEqualTo("application/problem+json");
    assertThat(noUser.getMessage().getBody(String.class)).contains("userId");

    Exchange badSince = request(Map.of("userId", "user-1", "since", "yesterday"));
    assertThat(badSince.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
    assertThat(badSince.getMessage().getBody(String.class)).contains("RFC 3339");
  }

  @Test
  void aMalformedEventGoesToTheDeadLetterTopicWithTheReason() throws Exception {
    String userId = ProfileEvents.newUserId();
    deadLetters.expectedMessageCount(1);

    users.sendBodyAndHeaders(
        ProfileEvents.data(userId, 1, List.of("name"))
            .replace("\"version\":1", "\"version\":\"1\""),
        ProfileEvents.headers(ProfileEvents.newEventId(), userId));

    deadLetters.assertIsSatisfied();
    var dead = deadLetters.getExchanges().get(0).getMessage();
    assertThat(dead.getHeader("hub_dlq_reason", String.class)).contains("version");
    assertThat(get(userId, null).get("count").asInt()).isZero();
  }

  private void consume(
      String eventId, String userId, long version, List<String> fields, OffsetDateTime time) {
    users.sendBodyAndHeaders(
        ProfileEvents.data(userId, version, fields), ProfileEvents.headers(eventId, userId, time));
  }

  private JsonNode get(String userId, String since) throws Exception {
    Map<String, Object> headers = new HashMap<>();
    headers.put("userId", userId);
    if (since != null) {
      headers.put("since", since);
    }
    Exchange answer = request(headers);
    assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull();
    return JSON.readTree(answer.getMessage().getBody(String.class));
  }

  private Exchange request(Map<String, Object> headers) {
    return query.request(
        "direct:list-profile-changes", exchange -> exchange.getMessage().setHeaders(headers));
  }
}
