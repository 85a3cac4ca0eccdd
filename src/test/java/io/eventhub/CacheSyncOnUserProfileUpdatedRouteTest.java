package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.ProfileEvents;
import io.eventhub.support.RouteTestConfiguration;
import java.time.OffsetDateTime;
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
 * routes/cache-sync-on-user-profile-updated.camel.yaml and routes/users-api.camel.yaml with the
 * in-process cache: the Kafka consumer replaced by a direct endpoint, profiles read back through
 * the query route.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = "cache-sync-on-user-profile-updated=direct:users-events",
    mockEndpointsAndSkip = "kafka:.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/consumer-templates.camel.yaml,file:routes/cache-sync-on-user-profile-updated.camel.yaml,file:routes/users-api.camel.yaml"
    })
class CacheSyncOnUserProfileUpdatedRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:users-events")
  ProducerTemplate users;

  @Produce("direct:get-user-profile")
  ProducerTemplate profiles;

  @EndpointInject("mock:kafka:dead-letters")
  MockEndpoint deadLetters;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(deadLetters.getCamelContext());
  }

  @Test
  void keepsTheLatestProfileOfAUserWithoutTheChangeList() throws Exception {
    String userId = ProfileEvents.newUserId();
    OffsetDateTime time = OffsetDateTime.parse("2026-11-26T10:05:00Z");

    consume(ProfileEvents.newEventId(), userId, 1, time.minusHours(1));
    consume(ProfileEvents.newEventId(), userId, 2, time);

    JsonNode profile = JSON.readTree(profile(userId).getMessage().getBody(String.class));
    assertThat(profile.get("userId").asText()).isEqualTo(userId);
    assertThat(profile.get("version").asLong()).isEqualTo(2);
    assertThat(profile.get("email").asText()).isEqualTo(ProfileEvents.emailOf(userId));
    assertThat(profile.get("name").asText()).isEqualTo(ProfileEvents.NAME);
    assertThat(profile.at("/preferences/categories/1").asText()).isEqualTo("garden-2");
    assertThat(profile.get("updatedAt").asText()).isEqualTo("2026-11-26T10:05:00Z");
    assertThat(profile.has("changedFields")).isFalse();
  }

  @Test
  void anOlderVersionNeverReplacesANewerOne() throws Exception {
    String userId = ProfileEvents.newUserId();
    String v3 = ProfileEvents.newEventId();
    deadLetters.expectedMessageCount(0);

    consume(v3, userId, 3, OffsetDateTime.now());
    // late, replayed from the DLQ, or delivered twice
    consume(ProfileEvents.newEventId(), userId, 2, OffsetDateTime.now());
    consume(ProfileEvents.newEventId(), userId, 1, OffsetDateTime.now());
    consume(v3, userId, 3, OffsetDateTime.now());

    assertThat(version(userId)).isEqualTo(3);
    consume(ProfileEvents.newEventId(), userId, 4, OffsetDateTime.now());
    assertThat(version(userId)).isEqualTo(4);
    deadLetters.assertIsSatisfied();
  }

  @Test
  void anUnknownUserIsA404Problem() {
    Exchange answer = profile(ProfileEvents.newUserId());

    assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
    assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE))
        .isEqualTo("application/problem+json");
  }

  @Test
  void aMalformedEventGoesToTheDeadLetterTopicWithTheReason() throws Exception {
    String userId = ProfileEvents.newUserId();
    deadLetters.expectedMessageCount(1);

    users.sendBodyAndHeaders(
        "{\"userId\": ", ProfileEvents.headers(ProfileEvents.newEventId(), userId));

    deadLetters.assertIsSatisfied();
    var dead = deadLetters.getExchanges().get(0).getMessage();
    assertThat(dead.getHeader("hub_dlq_reason", String.class)).contains("not valid JSON");
    assertThat(dead.getHeader("hub_dlq_service", String.class)).isEqualTo("cache-sync");
    assertThat(profile(userId).getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
  }

  private void consume(String eventId, String userId, long version, OffsetDateTime time) {
    users.sendBodyAndHeaders(
        ProfileEvents.data(userId, version, List.of("name")),
        ProfileEvents.headers(eventId, userId, time));
  }

  private long version(String userId) throws Exception {
    return JSON.readTree(profile(userId).getMessage().getBody(String.class))
        .get("version")
        .asLong();
  }

  private Exchange profile(String userId) {
    return profiles.request(
        "direct:get-user-profile", exchange -> exchange.getMessage().setHeader("id", userId));
  }
}
