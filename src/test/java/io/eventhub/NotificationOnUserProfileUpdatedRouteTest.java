package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.ProfileEvents;
import io.eventhub.support.RouteTestConfiguration;
import java.util.List;
import java.util.Map;
import org.apache.camel.EndpointInject;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routes/notification-on-user-profile-updated.camel.yaml with the delivery conventions and the
 * outside call: the Kafka consumer replaced by a direct endpoint, the email API and the dead letter
 * topic mocked, the template the one in the repository.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = "notification-on-user-profile-updated=direct:users-events",
    mockEndpointsAndSkip = "(http|kafka):.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/outside-services.camel.yaml,file:routes/consumer-templates.camel.yaml,file:routes/notification-on-user-profile-updated.camel.yaml",
      "hub.services.notification.url=http://notification.test/emails",
      "hub.notification.silent-fields=lastSeenAt, preferences.ui",
      "hub.retry.max-redeliveries=2",
      "hub.retry.initial-delay-ms=5",
      "hub.retry.max-delay-ms=20"
    })
class NotificationOnUserProfileUpdatedRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:users-events")
  ProducerTemplate users;

  @EndpointInject("mock:http:notification.test/emails")
  MockEndpoint notification;

  @EndpointInject("mock:kafka:dead-letters")
  MockEndpoint deadLetters;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(notification.getCamelContext());
  }

  @Test
  void sendsAConfirmationEmailNamingTheChangedFieldsTheUserSees() throws Exception {
    String userId = ProfileEvents.newUserId();
    String eventId = ProfileEvents.newEventId();
    notification.expectedMessageCount(1);

    consume(eventId, userId, List.of("name", "preferences.categories", "preferences.ui.theme"));

    notification.assertIsSatisfied();
    var request = notification.getExchanges().get(0).getMessage();
    assertThat(request.getHeader("Idempotency-Key"))
        .as("the event's (source, id)")
        .isEqualTo("/test " + eventId);
    assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
    // camel-http's enum itself, which it takes as it is (a text would be converted on every call)
    assertThat(request.getHeader("CamelHttpMethod")).isEqualTo(HttpMethods.POST);
    assertThat(request.getHeaders().keySet())
        .noneMatch(h -> h.startsWith("ce_") || h.startsWith("kafka."));
    JsonNode email = JSON.readTree(request.getBody(String.class));
    assertThat(email.get("to").asText()).isEqualTo(ProfileEvents.emailOf(userId));
    assertThat(email.get("subject").asText()).isEqualTo("Your profile was updated");
    assertThat(email.get("userId").asText()).isEqualTo(userId);
    assertThat(email.get("text").asText())
        .startsWith("Hello " + ProfileEvents.NAME + ",")
        .contains("  - name\n", "  - preferences.categories\n")
        .doesNotContain("preferences.ui");
  }

  @Test
  void noEmailWhenOnlyFieldsTheUserDoesNotSeeChanged() throws Exception {
    notification.expectedMessageCount(0);
    deadLetters.expectedMessageCount(0);

    consume(
        ProfileEvents.newEventId(),
        ProfileEvents.newUserId(),
        List.of("preferences.ui.theme", "lastSeenAt"));
    consume(ProfileEvents.newEventId(), ProfileEvents.newUserId(), List.of());

    notification.assertIsSatisfied();
    deadLetters.assertIsSatisfied();
  }

  @Test
  void aRedeliveredEventIsSentOnce() throws Exception {
    String userId = ProfileEvents.newUserId();
    String eventId = ProfileEvents.newEventId();
    notification.expectedMessageCount(1);

    consume(eventId, userId, List.of("name"));
    consume(eventId, userId, List.of("name"));

    notification.assertIsSatisfied();
  }

  @Test
  void serverErrorsAreRetriedThenDeadLetteredToTheNotificationTopic() throws Exception {
    String eventId = ProfileEvents.newEventId();
    notification.whenAnyExchangeReceived(
        exchange -> {
          throw new HttpOperationFailedException(
              "http://notification.test/emails", 503, "Service Unavailable", null, Map.of(), "");
        });
    notification.expectedMessageCount(3);
    deadLetters.expectedMessageCount(1);

    consume(eventId, ProfileEvents.newUserId(), List.of("email"));

    notification.assertIsSatisfied();
    deadLetters.assertIsSatisfied();
    var dead = deadLetters.getExchanges().get(0).getMessage();
    assertThat(dead.getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class))
        .isEqualTo("users.events.notification.dlq");
    assertThat(dead.getHeader("hub_dlq_reason", String.class)).contains("503");
    assertThat(dead.getHeader("ce_id", String.class)).isEqualTo(eventId);
  }

  @Test
  void aMalformedEventGoesToTheDeadLetterTopicAtOnceWithTheReason() throws Exception {
    String userId = ProfileEvents.newUserId();
    String data = ProfileEvents.data(userId, 1, List.of("name")).replace("\"version\":1,", "");
    notification.expectedMessageCount(0);
    deadLetters.expectedMessageCount(1);

    users.sendBodyAndHeaders(data, ProfileEvents.headers(ProfileEvents.newEventId(), userId));

    notification.assertIsSatisfied();
    deadLetters.assertIsSatisfied();
    var dead = deadLetters.getExchanges().get(0).getMessage();
    assertThat(dead.getHeader("hub_dlq_reason", String.class))
        .contains("UserProfileUpdated", "version")
        .doesNotContain(ProfileEvents.emailOf(userId));
    assertThat(dead.getHeader("hub_dlq_attempts", String.class)).isEqualTo("1");
    assertThat(dead.getBody(String.class)).as("the original record").isEqualTo(data);
  }

  private void consume(String eventId, String userId, List<String> changedFields) {
    users.sendBodyAndHeaders(
        ProfileEvents.data(userId, 2, changedFields), ProfileEvents.headers(eventId, userId));
  }
}
