package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.CapturedLogs;
import io.eventhub.support.Events;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.ProfileEvents;
import io.eventhub.support.TestEngines;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Credentials and roles at the API's door, over real HTTP: every endpoint of /api/* with no token,
 * a wrong one, one that lacks the right and one that has it; what stays open; the problem+json
 * answers the server makes itself (404, 405, 413, 414, 431); dead letter listings redacted for
 * callers without the admin role; and the starts refused without credentials.
 */
class ApiAccessIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STOREFRONT = "storefront-token";
  private static final String STOREFRONT_NEXT = "storefront-token-next";
  private static final String USERS = "users-token";
  private static final String OPS = "ops-token";

  private static HubRunner hub;
  private static CapturedLogs logs;

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    logs = new CapturedLogs();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("hub.security.clients", "test,storefront,users,ops");
    // two tokens while rotating: the old and the next are both accepted
    properties.put("hub.security.tokens.storefront.token", STOREFRONT + "," + STOREFRONT_NEXT);
    properties.put("hub.security.tokens.storefront.publish", "OrderCreated");
    properties.put("hub.security.tokens.storefront.reads", "orders,inventory");
    properties.put("hub.security.tokens.users.token", USERS);
    properties.put("hub.security.tokens.users.publish", "UserProfileUpdated");
    properties.put("hub.security.tokens.users.reads", "users");
    // a token kept as its SHA-256 digest only
    properties.put("hub.security.tokens.ops.token-sha256", sha256(OPS));
    properties.put("hub.security.tokens.ops.reads", "dlq,analytics,metrics");
    properties.put("hub.security.protect-metrics", "true");
    properties.put("camel.server.max-body-size", "200000");
    hub = new HubRunner(properties);
  }

  @AfterAll
  static void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
    logs.close();
  }

  /** One endpoint: how to call it, and the tokens whose clients may. */
  record Endpoint(String method, String path, String body, List<String> allowed) {}

  private static List<Endpoint> endpoints() {
    String order = Events.orderCreated()[1];
    String profile =
        ProfileEvents.cloudEvent(
            ProfileEvents.newEventId(), ProfileEvents.newUserId(), 1, List.of("name"));
    return List.of(
        new Endpoint("POST", "/api/events", order, List.of(Http.TEST_TOKEN, STOREFRONT)),
        new Endpoint("POST", "/api/events", profile, List.of(Http.TEST_TOKEN, USERS)),
        new Endpoint("GET", "/api/orders/order-x", null, List.of(Http.TEST_TOKEN, STOREFRONT)),
        new Endpoint("GET", "/api/inventory/SKU-X", null, List.of(Http.TEST_TOKEN, STOREFRONT)),
        new Endpoint(
            "PUT", "/api/inventory/SKU-AUTH-1", "{\"available\":3}", List.of(Http.TEST_TOKEN)),
        new Endpoint("GET", "/api/users/user-x/profile", null, List.of(Http.TEST_TOKEN, USERS)),
        new Endpoint(
            "GET",
            "/api/analytics/profile-changes?userId=u&since=2026-01-01T00:00:00Z",
            null,
            List.of(Http.TEST_TOKEN, OPS)),
        new Endpoint("GET", "/api/dlq/shipping", null, List.of(Http.TEST_TOKEN, OPS)),
        new Endpoint("POST", "/api/dlq/shipping/replay", "", List.of(Http.TEST_TOKEN)),
        new Endpoint("GET", "/observe/metrics", null, List.of(Http.TEST_TOKEN, OPS)));
  }

  @Test
  void everyEndpointTakesOnlyTheTokensWhoseClientHasTheRight() throws Exception {
    List<String> tokens = List.of(Http.TEST_TOKEN, STOREFRONT, USERS, OPS);
    List<String> checked = new ArrayList<>();
    for (Endpoint endpoint : endpoints()) {
      String name = endpoint.method() + " " + endpoint.path();
      // no token, a wrong one, another scheme, an empty one: 401 with WWW-Authenticate: Bearer
      for (String authorization :
          new String[] {
            null, "Bearer wrong-token", "Basic dGVzdDp0ZXN0", "Bearer ", "test-token"
          }) {
        HttpResponse<String> answer = call(endpoint, authorization);
        assertUnauthorized(answer, name + " with " + authorization);
      }
      for (String token : tokens) {
        HttpResponse<String> answer = call(endpoint, "Bearer " + token);
        String what = name + " with " + token + ": " + answer.body();
        if (endpoint.allowed().contains(token)) {
          assertThat(answer.statusCode()).as(what).isNotIn(401, 403).isLessThan(500);
        } else {
          assertForbidden(answer, what);
        }
        checked.add(what);
      }
    }
    assertThat(checked).hasSize(40);
  }

  @Test
  void aRotatedTokenIsAcceptedAlongsideTheOldOne() {
    for (String token : List.of(STOREFRONT, STOREFRONT_NEXT)) {
      assertThat(
              call(new Endpoint("GET", "/api/inventory/SKU-X", null, List.of()), "Bearer " + token)
                  .statusCode())
          .isNotIn(401, 403);
    }
  }

  @Test
  void healthCallbacksAndStandInsNeedNoToken() {
    assertThat(Http.send(request("/observe/health").GET().build()).statusCode()).isEqualTo(200);
    // the payment callback answers for its signature, not for a bearer token
    HttpResponse<String> callback =
        Http.send(
            request("/callbacks/payments")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertThat(callback.statusCode()).isEqualTo(401);
    assertThat(callback.headers().firstValue("WWW-Authenticate")).isEmpty();
  }

  @Test
  void anUnknownApiPathIsNotRevealedWithoutAToken() throws Exception {
    assertUnauthorized(
        Http.send(request("/api/no-such-thing").GET().build()), "unknown path without token");
    assertProblem(Http.get(hub.url("/api/no-such-thing")), 404);
  }

  @Test
  void theServersOwnErrorsAreProblems() throws Exception {
    assertProblem(Http.get(hub.url("/no-such-page")), 404);
    assertProblem(
        Http.send(
            request("/api/orders/order-x")
                .header("Authorization", "Bearer " + Http.TEST_TOKEN)
                .DELETE()
                .build()),
        405);
    // over camel.server.max-body-size (200000 here): refused by the server before any route
    assertProblem(
        Http.post(hub.url("/api/events"), "application/cloudevents+json", "x".repeat(300_000)),
        413);
    // HTTP/1.1 as curl speaks it: a request line over Vert.x's 4096 characters, headers over
    // its 8192 bytes, refused by its decoder before any router sees them
    assertProblem(
        Http.send(
            request("/api/orders/" + "o".repeat(5000))
                .version(HttpClient.Version.HTTP_1_1)
                .header("Authorization", "Bearer " + Http.TEST_TOKEN)
                .GET()
                .build()),
        414);
    assertProblem(
        Http.send(
            request("/api/orders/order-x")
                .version(HttpClient.Version.HTTP_1_1)
                .header("Authorization", "Bearer " + Http.TEST_TOKEN)
                .header("X-Large", "h".repeat(10_000))
                .GET()
                .build()),
        431);
  }

  @Test
  void deadLetterListingsBlankPersonalFieldsExceptForTheAdmin() throws Exception {
    String service = "auth-" + UUID.randomUUID().toString().substring(0, 8);
    String topic = "users.events." + service + ".dlq";
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    String userId = ProfileEvents.newUserId();
    String eventId = ProfileEvents.newEventId();
    KafkaProbe.send(
        topic,
        userId,
        ProfileEvents.data(userId, 2, List.of("email")),
        Map.of(
            "ce_id", eventId,
            "ce_type", "UserProfileUpdated",
            "hub_dlq_origin_topic", "users.events",
            "hub_dlq_reason", "the service answered 400"));
    KafkaProbe.send(
        topic, userId, "not json " + ProfileEvents.emailOf(userId), Map.of("ce_id", "evt-raw"));

    HttpResponse<String> redacted =
        Http.send(
            request("/api/dlq/" + service).header("Authorization", "Bearer " + OPS).GET().build());
    assertThat(redacted.statusCode()).isEqualTo(200);
    assertThat(redacted.body())
        .doesNotContain(ProfileEvents.emailOf(userId))
        .doesNotContain(ProfileEvents.NAME)
        .contains(eventId, userId, "[redacted]");
    JsonNode records = JSON.readTree(redacted.body()).get("records");
    JsonNode value = JSON.readTree(records.get(0).get("value").asText());
    assertThat(value.get("email").asText()).isEqualTo("[redacted]");
    assertThat(value.get("name").asText()).isEqualTo("[redacted]");
    assertThat(value.get("version").asInt()).isEqualTo(2);
    assertThat(records.get(1).get("value").asText()).isEqualTo("[redacted]");

    JsonNode whole = hub.deadLetter(service, eventId);
    assertThat(JSON.readTree(whole.get("value").asText()).get("email").asText())
        .isEqualTo(ProfileEvents.emailOf(userId));
  }

  @Test
  void theStartIsRefusedWithoutCredentialsNamingTheKey() {
    assertThatThrownBy(() -> new HubRunner(Map.of("hub.security.clients", "")).close())
        .hasStackTraceContaining("Missing setting hub.security.clients")
        .hasStackTraceContaining("HUB_SECURITY_CLIENTS")
        .hasStackTraceContaining("hub.security.open=true");
    assertThatThrownBy(() -> new HubRunner(Map.of("hub.security.clients", "test,ghost")).close())
        .hasStackTraceContaining("Missing setting hub.security.tokens.ghost.token")
        .hasStackTraceContaining("HUB_SECURITY_TOKENS_GHOST_TOKEN");
  }

  @Test
  void anOpenHubAnswersWithoutCredentialsAndWarnsLoudly() throws Exception {
    try (HubRunner open =
        new HubRunner(Map.of("hub.security.clients", "", "hub.security.open", "true"))) {
      HttpResponse<String> answer =
          Http.send(
              HttpRequest.newBuilder(URI.create(open.url("/api/inventory/SKU-NONE")))
                  .GET()
                  .build());
      assertThat(answer.statusCode()).isEqualTo(404);
    }
    assertThat(logs.containing("hub.security.open=true")).isNotEmpty();
  }

  @Test
  void theDevProfileBindsToThisMachineAndTellsItsToken() throws Exception {
    Properties dev = new Properties();
    try (InputStream in = Files.newInputStream(Path.of("application-dev.properties"))) {
      dev.load(in);
    }
    assertThat(dev.getProperty("camel.server.host")).isEqualTo("127.0.0.1");
    assertThat(dev.getProperty("hub.security.clients")).isEqualTo("dev");
    assertThat(dev.getProperty("hub.security.tokens.dev.token")).isEqualTo("dev-token");
    assertThat(dev.getProperty("hub.security.tokens.dev.roles")).isEqualTo("admin");
    try (HubRunner devHub =
        new HubRunner(
            Map.of(
                "hub.security.clients", "dev",
                "hub.security.tokens.dev.token", "dev-token",
                "hub.security.tokens.dev.roles", "admin",
                "camel.server.host", "127.0.0.1"))) {
      assertThat(logs.containing("Authorization: Bearer dev-token")).isNotEmpty();
      int port = URI.create(devHub.url("/")).getPort();
      assertThat(Http.get(devHub.url("/observe/health")).statusCode()).isEqualTo(200);
      // nothing answers on this machine's other addresses (the management endpoints included)
      for (InetAddress address : otherAddresses()) {
        assertThatThrownBy(
                () -> {
                  try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 2000);
                  }
                })
            .as("port %d on %s", port, address)
            .isInstanceOf(java.io.IOException.class);
      }
    }
  }

  private static List<InetAddress> otherAddresses() throws Exception {
    List<InetAddress> addresses = new ArrayList<>();
    for (NetworkInterface nic :
        java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
        if (!address.isLoopbackAddress() && address instanceof java.net.Inet4Address) {
          addresses.add(address);
        }
      }
    }
    return addresses;
  }

  private static HttpResponse<String> call(Endpoint endpoint, String authorization) {
    HttpRequest.Builder request = request(endpoint.path());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (endpoint.body() == null) {
      request.method(endpoint.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      request.header(
          "Content-Type",
          endpoint.path().equals("/api/events")
              ? "application/cloudevents+json"
              : "application/json");
      request.method(endpoint.method(), HttpRequest.BodyPublishers.ofString(endpoint.body()));
    }
    return Http.send(request.build());
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(hub.url(path))).timeout(Duration.ofSeconds(30));
  }

  private static void assertUnauthorized(HttpResponse<String> answer, String what)
      throws Exception {
    JsonNode problem = assertProblem(answer, 401);
    assertThat(answer.headers().firstValue("WWW-Authenticate")).as(what).hasValue("Bearer");
    // the same words whatever was wrong
    assertThat(problem.get("detail").asText())
        .as(what)
        .isEqualTo("The request needs a valid bearer token: Authorization: Bearer <token>.");
  }

  private static void assertForbidden(HttpResponse<String> answer, String what) throws Exception {
    assertThat(answer.statusCode()).as(what).isEqualTo(403);
    JsonNode problem = assertProblem(answer, 403);
    assertThat(problem.get("detail").asText())
        .as(what)
        .isEqualTo("The credential does not allow this request.");
  }

  private static JsonNode assertProblem(HttpResponse<String> answer, int status) throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type"))
        .as("%d: %s", status, answer.body())
        .hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(answer.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).isNotBlank();
    return problem;
  }

  private static String sha256(String token) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}
