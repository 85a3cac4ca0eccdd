package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.CapturedLogs;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.ProfileEvents;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * User profile updates end to end on the real engines: an update posted to /api/events reaches
 * notification and recommendation (real HTTP servers standing in for them), analytics (PostgreSQL)
 * and the profile cache, each exactly once, whatever fails on the way; and no email address or name
 * ever reaches the log.
 */
class ProfileSliceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int MAX_REDELIVERIES = 2;
  private static final List<String> SERVICES =
      List.of("notification", "recommendation", "analytics", "cache-sync");

  private static CapturedLogs logs;
  private static FakeService notification;
  private static FakeService recommendation;
  private static HubRunner hub;

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    logs = new CapturedLogs();
    notification = new FakeService();
    recommendation = new FakeService();
    hub =
        new HubRunner(
            Map.of(
                "hub.services.notification.url",
                notification.url("/emails"),
                "hub.services.recommendation.url",
                recommendation.url("/preferences"),
                "hub.retry.max-redeliveries",
                String.valueOf(MAX_REDELIVERIES),
                "hub.retry.initial-delay-ms",
                "100",
                "hub.retry.max-delay-ms",
                "400",
                "hub.kafka.partitions",
                "3"));
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
    notification.close();
    recommendation.close();
    logs.close();
  }

  @AfterEach
  void noPersonalDataInTheLogs() {
    notification.answer(200);
    assertThat(logs.containing("accepted event")).as("the logs were captured").isNotEmpty();
    assertThat(logs.containing("@example.com")).as("email addresses in the log").isEmpty();
    assertThat(logs.containing(ProfileEvents.NAME)).as("names in the log").isEmpty();
  }

  @Test
  void eachServiceHandlesAnUpdateExactlyOnce() throws Exception {
    String userId = ProfileEvents.newUserId();
    String first = ProfileEvents.newEventId();

    assertThat(post(first, userId, 1, List.of("name", "preferences.categories")).statusCode())
        .isEqualTo(202);

    awaitHandledByAll(first, userId, 1);
    JsonNode email = JSON.readTree(notification.callsFor(first).get(0).body());
    assertThat(email.get("to").asText()).isEqualTo(ProfileEvents.emailOf(userId));
    assertThat(email.get("text").asText()).contains("- name", "- preferences.categories");
    JsonNode preferences = JSON.readTree(recommendation.callsFor(first).get(0).body());
    assertThat(preferences.at("/preferences/categories/1").asText()).isEqualTo("garden-1");
    assertThat(preferences.toString()).doesNotContain("@");

    // Kafka delivers the same event again (same id, same key), then the next update follows it
    KafkaProbe.send(
        "users.events",
        userId,
        ProfileEvents.data(userId, 1, List.of("name", "preferences.categories")),
        textHeaders(first));
    String second = ProfileEvents.newEventId();
    post(second, userId, 2, List.of("preferences.language"));
    awaitHandledByAll(second, userId, 2);

    assertThat(notification.callsFor(first)).hasSize(1);
    assertThat(recommendation.callsFor(first)).hasSize(1);
    assertThat(changesOf(userId).findValuesAsText("eventId")).containsExactly(first, second);
  }

  @Test
  void withNotificationDownTheOthersGoOnAndNotificationCatchesUpFromTheDeadLetters()
      throws Exception {
    notification.answer(503);
    String userId = ProfileEvents.newUserId();
    String eventId = ProfileEvents.newEventId();

    post(eventId, userId, 1, List.of("email", "preferences.language"));

    await().atMost(WAIT).until(() -> recommendation.acceptedFor(eventId) == 1);
    await().atMost(WAIT).until(() -> changesOf(userId).get("count").asInt() == 1);
    await().atMost(WAIT).until(() -> profileVersion(userId) == 1);
    JsonNode deadLetter = awaitDeadLetter("notification", eventId);
    assertThat(deadLetter.get("reason").asText()).contains("503");
    assertThat(notification.acceptedFor(eventId)).isZero();
    assertThat(notification.callsFor(eventId)).hasSize(1 + MAX_REDELIVERIES);

    notification.answer(200);
    HttpResponse<String> replay =
        Http.post(hub.url("/api/dlq/notification/replay"), "application/json", "");
    assertThat(replay.statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> notification.acceptedFor(eventId) == 1);

    // every service saw the replayed record; the next update shows it changed nothing else
    String next = ProfileEvents.newEventId();
    post(next, userId, 2, List.of("preferences.language"));
    awaitHandledByAll(next, userId, 2);
    assertThat(notification.acceptedFor(eventId)).isEqualTo(1);
    assertThat(recommendation.callsFor(eventId)).hasSize(1);
    assertThat(changesOf(userId).get("count").asInt()).isEqualTo(2);
  }

  @Test
  void notificationCatchesUpFromItsRetries() throws Exception {
    String userId = ProfileEvents.newUserId();
    String eventId = ProfileEvents.newEventId();
    notification.answerNext(eventId, MAX_REDELIVERIES, 503);

    post(eventId, userId, 1, List.of("name"));

    await().atMost(WAIT).until(() -> notification.acceptedFor(eventId) == 1);
    assertThat(notification.callsFor(eventId)).hasSize(1 + MAX_REDELIVERIES);
    assertThat(deadLetterOf("notification", eventId)).isNull();
  }

  @Test
  void aStaleVersionNeverReachesTheCache() throws Exception {
    String userId = ProfileEvents.newUserId();
    String newer = ProfileEvents.newEventId();
    String older = ProfileEvents.newEventId();

    post(newer, userId, 2, List.of("name"));
    await().atMost(WAIT).until(() -> profileVersion(userId) == 2);
    post(older, userId, 1, List.of("name"));

    await()
        .atMost(WAIT)
        .until(
            () -> !logs.containing("already had version 1 or newer of user " + userId).isEmpty());
    assertThat(profileVersion(userId)).isEqualTo(2);
    JsonNode profile = JSON.readTree(Http.get(hub.url("/api/users/" + userId + "/profile")).body());
    assertThat(profile.at("/preferences/categories/1").asText()).isEqualTo("garden-2");
  }

  @Test
  void aMalformedProfileEventGoesToEachServicesDeadLettersWithTheReason() throws Exception {
    String userId = ProfileEvents.newUserId();
    String eventId = "evt-malformed-" + System.nanoTime();

    KafkaProbe.send(
        "users.events",
        userId,
        ProfileEvents.data(userId, 1, List.of("name")).replace("\"version\":1,", ""),
        textHeaders(eventId));

    for (String service : SERVICES) {
      JsonNode deadLetter = awaitDeadLetter(service, eventId);
      assertThat(deadLetter.get("reason").asText()).contains("version");
      assertThat(deadLetter.get("exception").asText()).endsWith("MalformedEventException");
      assertThat(deadLetter.get("attempts").asInt()).as("bad data is not retried").isEqualTo(1);
    }
    assertThat(notification.callsFor(eventId)).isEmpty();
    assertThat(Http.get(hub.url("/api/users/" + userId + "/profile")).statusCode()).isEqualTo(404);
  }

  @Test
  void queriesAnswerProblemsForUnknownUsersAndBadParameters() {
    HttpResponse<String> unknown =
        Http.get(hub.url("/api/users/" + ProfileEvents.newUserId() + "/profile"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    HttpResponse<String> noUser = Http.get(hub.url("/api/analytics/profile-changes"));
    assertThat(noUser.statusCode()).isEqualTo(400);
    HttpResponse<String> badSince =
        Http.get(hub.url("/api/analytics/profile-changes?userId=u-1&since=last-week"));
    assertThat(badSince.statusCode()).isEqualTo(400);
    assertThat(badSince.body()).contains("RFC 3339");
  }

  private static HttpResponse<String> post(
      String eventId, String userId, long version, List<String> changedFields) {
    return Http.post(
        hub.url("/api/events"),
        "application/cloudevents+json",
        ProfileEvents.cloudEvent(eventId, userId, version, changedFields));
  }

  /** Notification, recommendation, analytics and the cache have all handled this update. */
  private static void awaitHandledByAll(String eventId, String userId, long version) {
    await().atMost(WAIT).until(() -> notification.acceptedFor(eventId) == 1);
    await().atMost(WAIT).until(() -> recommendation.acceptedFor(eventId) == 1);
    await()
        .atMost(WAIT)
        .until(() -> changesOf(userId).findValuesAsText("eventId").contains(eventId));
    await().atMost(WAIT).until(() -> profileVersion(userId) == version);
  }

  /** The CloudEvent headers of the record intake published for an event posted with post(). */
  private static Map<String, String> textHeaders(String eventId) {
    Map<String, String> headers = new LinkedHashMap<>();
    ProfileEvents.headers(eventId, "unused")
        .forEach(
            (name, value) -> {
              if (name.startsWith("ce_")) {
                headers.put(name, value.toString());
              }
            });
    // the source it was posted with: the same (source, id), so the same event
    headers.put("ce_source", "/accounts/profile");
    return headers;
  }

  private static JsonNode changesOf(String userId) throws Exception {
    HttpResponse<String> answer =
        Http.get(hub.url("/api/analytics/profile-changes?userId=" + userId));
    assertThat(answer.statusCode()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private static long profileVersion(String userId) throws Exception {
    HttpResponse<String> answer = Http.get(hub.url("/api/users/" + userId + "/profile"));
    return answer.statusCode() == 200 ? JSON.readTree(answer.body()).get("version").asLong() : 0;
  }

  private static JsonNode awaitDeadLetter(String service, String eventId) throws Exception {
    await().atMost(WAIT).until(() -> deadLetterOf(service, eventId) != null);
    return deadLetterOf(service, eventId);
  }

  private static JsonNode deadLetterOf(String service, String eventId) throws Exception {
    return hub.deadLetter(service, eventId);
  }
}
