package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.support.CapturedLogs;
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
 * What the hub logs and dead-letters about client input, on the notification route (consumer
 * template, outside call, dead letter route): a CR/LF in an event id never starts a log line of its
 * own, and the email or name of a record that cannot be read appears in no log line and in no dead
 * letter reason.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = "notification-on-user-profile-updated=direct:users-events",
    mockEndpointsAndSkip = "(http|kafka):.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/outside-services.camel.yaml,file:routes/consumer-templates.camel.yaml,file:routes/notification-on-user-profile-updated.camel.yaml",
      "hub.services.notification.url=http://notification.test/emails",
      "hub.retry.max-redeliveries=1",
      "hub.retry.initial-delay-ms=5",
      "hub.retry.max-delay-ms=20"
    })
class LogSafetyRouteTest {

  private static final String SECRET_EMAIL = "ada.secret@example.com";
  private static final String SECRET_NAME = "Ada Secretname";

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
  void aLineBreakInAnEventIdForgesNoLogLine() throws Exception {
    String userId = ProfileEvents.newUserId();
    String forgedId = "evt-1\r\n00:00:00.000 INFO  [main] io.eventhub - forged\u0085line";
    notification.expectedMessageCount(1);
    deadLetters.expectedMessageCount(1);

    try (CapturedLogs logs = new CapturedLogs()) {
      users.sendBodyAndHeaders(
          ProfileEvents.data(userId, 2, List.of("name")), ProfileEvents.headers(forgedId, userId));
      // a record that cannot be read, dead-lettered with the same id (the dead letter log line)
      users.sendBodyAndHeaders("{broken", ProfileEvents.headers(forgedId + "-2", userId));

      notification.assertIsSatisfied();
      deadLetters.assertIsSatisfied();
      List<String> mentions = logs.containing("forged");
      assertThat(mentions)
          .as("the accepted and the dead letter lines")
          .hasSizeGreaterThanOrEqualTo(2);
      assertThat(mentions)
          .allSatisfy(
              line ->
                  assertThat(line)
                      .doesNotContain("\r", "\n", "\u0085")
                      .contains("evt-1\\r\\n00:00:00.000 INFO", "forged\\u0085line"));
    }
  }

  @Test
  void theEmailAndNameOfAMalformedRecordAreNeverLoggedNorInTheReason() throws Exception {
    String userId = ProfileEvents.newUserId();
    String valid = ProfileEvents.data(userId, 2, List.of("email"));
    String email = ProfileEvents.emailOf(userId);
    List<String> records =
        List.of(
            // not JSON: Jackson's own message would quote the record
            "{\"userId\":\""
                + userId
                + "\",\"email\":\""
                + SECRET_EMAIL
                + "\",\"name\": "
                + SECRET_NAME
                + "}",
            // a key twice
            valid.replace("\"email\":", "\"name\":\"" + SECRET_NAME + "\",\"email\":"),
            // an address that is none
            valid.replace(email, SECRET_EMAIL + "\\r\\nBcc: x@example.org"),
            // a name with a line break
            valid.replace(ProfileEvents.NAME, SECRET_NAME + "\\r\\nSubject: hi"),
            // a version beyond 2^53
            valid
                .replace("\"version\":2", "\"version\":18446744073709551617")
                .replace(ProfileEvents.NAME, SECRET_NAME));
    notification.expectedMessageCount(0);
    deadLetters.expectedMessageCount(records.size());

    try (CapturedLogs logs = new CapturedLogs()) {
      for (String record : records) {
        users.sendBodyAndHeaders(record, ProfileEvents.headers(ProfileEvents.newEventId(), userId));
      }

      notification.assertIsSatisfied();
      deadLetters.assertIsSatisfied();
      assertThat(logs.lines()).isNotEmpty();
      for (String secret : List.of(SECRET_EMAIL, SECRET_NAME, "Secretname", "ada.secret")) {
        assertThat(logs.containing(secret)).as(secret).isEmpty();
      }
    }
    List<String> reasons =
        deadLetters.getExchanges().stream()
            .map(e -> e.getMessage().getHeader("hub_dlq_reason", String.class))
            .toList();
    assertThat(reasons)
        .allSatisfy(
            reason ->
                assertThat(reason)
                    .isNotBlank()
                    .doesNotContain("ada.secret", "Secretname", email, "\r", "\n"));
    assertThat(reasons.get(0)).matches("The record value is not valid JSON at line 1, column \\d+");
    assertThat(reasons.get(1)).startsWith("The record value has a duplicate key");
    assertThat(reasons.get(2)).contains("email");
    assertThat(reasons.get(3)).contains("name");
    assertThat(reasons.get(4)).contains("version");
    assertThat(deadLetters.getExchanges().get(0).getMessage().getHeaders())
        .as("the original record is kept for a replay")
        .containsEntry("ce_type", "UserProfileUpdated");
  }
}
