package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.ProfileEvents;
import io.eventhub.support.TestEngines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jar {@code mvn package} builds, run as {@code java -jar} from a folder without routes/,
 * templates/ or application properties (they come from the jar) against a Kafka broker and a
 * PostgreSQL that run as processes of their own, configured by environment variables and a
 * properties file of the operator's.
 */
class RunnableJarIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(90);
  private static final String HELLO_ROUTE =
      """
      - route:
          id: hello-from-outside
          from:
            uri: platform-http:/api/hello
            steps:
              - setBody:
                  constant: from a route outside the jar
      """;

  private static Process broker;
  private static Process postgres;
  private static String brokers;
  private static String dbUrl;
  private static String dbUser;
  private static Path jar;

  @BeforeAll
  static void startEnginesAsProcessesOfTheirOwn() throws Exception {
    jar = Path.of(System.getProperty("hub.jar", "target/camel-event-hub.jar"));
    assertThat(jar).as("the runnable jar: run mvn package (or verify) first").exists();
    Path data = Files.createTempDirectory("hub-jar-engines");
    broker =
        javaMain(
            "io.eventhub.engines.StandaloneKafkaBroker",
            "-Dhub.kafka.embedded.port=" + TestEngines.freePort(),
            "-Dhub.kafka.embedded.controller-port=" + TestEngines.freePort(),
            "-Dhub.kafka.embedded.data-dir=" + data.resolve("kafka"),
            "-Dhub.kafka.partitions=3");
    postgres =
        javaMain(
            "io.eventhub.support.StandalonePostgres",
            "-Dhub.db.embedded.data-dir=" + data.resolve("postgres"));
    CompletableFuture<Map<String, String>> kafkaReady = printed(broker, "KAFKA_BOOTSTRAP");
    CompletableFuture<Map<String, String>> postgresReady = printed(postgres, "POSTGRES_USER");
    brokers = kafkaReady.get(60, TimeUnit.SECONDS).get("KAFKA_BOOTSTRAP");
    Map<String, String> db = postgresReady.get(60, TimeUnit.SECONDS);
    dbUrl = db.get("POSTGRES_URL");
    dbUser = db.get("POSTGRES_USER");
  }

  @AfterAll
  static void stopEngines() throws Exception {
    for (Process engine : new Process[] {broker, postgres}) {
      if (engine != null) {
        engine.destroy();
        engine.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theJarDeliversAnEventToShippingAndRendersTheEmailFromItsOwnTemplate() throws Exception {
    try (FakeService services = new FakeService()) {
      int port = TestEngines.freePort();
      Map<String, String> env = engines();
      env.put("HUB_HTTP_PORT", String.valueOf(port));
      // the service URLs from a properties file of the operator's, and one more route from a folder
      Path workDir = Files.createTempDirectory("hub-jar-run");
      StringBuilder settings = new StringBuilder();
      for (String service : HubRunner.SERVICES) {
        settings.append("hub.services.").append(service).append(".url=");
        settings.append(services.url("/" + service)).append('\n');
      }
      Path routes = Files.createDirectories(workDir.resolve("more-routes"));
      settings.append("camel.main.routes-include-pattern=classpath:routes/*.camel.yaml,file:");
      settings.append(routes.toAbsolutePath()).append("/*.camel.yaml\n");
      Files.writeString(workDir.resolve("hub.properties"), settings);
      Files.writeString(routes.resolve("hello.camel.yaml"), HELLO_ROUTE);
      env.put(
          "CAMEL_MAIN_OVERRIDE_PROPERTIES_LOCATION",
          "file:" + workDir.resolve("hub.properties").toAbsolutePath());
      Path log = Files.createTempFile("hub-jar", ".log");
      Process hub = startJar(env, workDir, log);
      try {
        String base = "http://127.0.0.1:" + port;
        await()
            .atMost(START)
            .ignoreExceptions()
            .failFast(() -> assertThat(hub.isAlive()).as(() -> "hub alive: " + tail(log)).isTrue())
            .until(
                () -> {
                  var health = Http.get(base + "/observe/health");
                  return health.statusCode() == 200 && health.body().contains("\"UP\"");
                });

        assertThat(Http.get(base + "/api/hello").body()).isEqualTo("from a route outside the jar");
        // the API's door stands in front of routes from outside the jar too
        var anonymous =
            Http.send(
                java.net.http.HttpRequest.newBuilder(URI.create(base + "/api/hello")).build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type"))
            .hasValue("application/problem+json");

        String[] order = Events.orderCreated();
        assertThat(post(base, order[1])).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> services.acceptedFor(order[0]) == 1);
        FakeService.Call shipped = services.callsFor(order[0]).get(0);
        assertThat(shipped.path()).isEqualTo("/shipping");
        assertThat(JSON.readTree(shipped.body()).get("type").asText()).isEqualTo("OrderCreated");

        String eventId = ProfileEvents.newEventId();
        String userId = ProfileEvents.newUserId();
        assertThat(post(base, ProfileEvents.cloudEvent(eventId, userId, 3, List.of("name"))))
            .isEqualTo(202);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    services.callsFor(eventId).stream()
                        .anyMatch(call -> call.path().equals("/notification")));
        JsonNode email =
            JSON.readTree(
                services.callsFor(eventId).stream()
                    .filter(call -> call.path().equals("/notification"))
                    .findFirst()
                    .orElseThrow()
                    .body());
        assertThat(email.get("subject").asText()).isEqualTo("Your profile was updated");
        assertThat(email.get("text").asText())
            .contains("these details of your profile were just changed", "- name");
      } finally {
        hub.destroy();
        assertThat(hub.waitFor(30, TimeUnit.SECONDS)).as("the hub stops on SIGTERM").isTrue();
      }
      assertThat(Files.readString(log))
          .contains("Using the configured Kafka cluster at " + brokers);
    }
  }

  @Test
  void aMissingBrokerDatabaseServiceUrlOrCredentialStopsTheStartNamingTheKey() throws Exception {
    Map<String, String> noBroker = engines();
    noBroker.remove("CAMEL_COMPONENT_KAFKA_BROKERS");
    Map<String, String> noDatabase = engines();
    noDatabase.remove("HUB_DB_URL");
    Map<String, String> noRecommendationUrl = engines();
    noRecommendationUrl.put("HUB_HTTP_PORT", String.valueOf(TestEngines.freePort()));
    for (String service : List.of("shipping", "payments", "notification", "push")) {
      noRecommendationUrl.put(
          "HUB_SERVICES_" + service.toUpperCase() + "_URL", "http://127.0.0.1:1/" + service);
    }
    Map<String, String> noCredentials = engines();
    noCredentials.keySet().removeIf(key -> key.startsWith("HUB_SECURITY_"));
    noCredentials.put("HUB_HTTP_PORT", String.valueOf(TestEngines.freePort()));
    for (String service : HubRunner.SERVICES) {
      noCredentials.put(
          "HUB_SERVICES_" + service.toUpperCase() + "_URL", "http://127.0.0.1:1/" + service);
    }
    // the four starts run side by side
    Path[] logs = new Path[4];
    Process[] starts = new Process[4];
    List<Map<String, String>> envs =
        List.of(noBroker, noDatabase, noRecommendationUrl, noCredentials);
    for (int i = 0; i < starts.length; i++) {
      logs[i] = Files.createTempFile("hub-jar-failed", ".log");
      starts[i] = startJar(envs.get(i), Files.createTempDirectory("hub-jar-run"), logs[i]);
    }

    assertThat(failedStart(starts[0], logs[0]))
        .contains("Missing setting camel.component.kafka.brokers")
        .contains("CAMEL_COMPONENT_KAFKA_BROKERS");
    assertThat(failedStart(starts[1], logs[1]))
        .contains("Missing setting hub.db.url")
        .contains("HUB_DB_URL");
    assertThat(failedStart(starts[2], logs[2])).contains("hub.services.recommendation.url");
    assertThat(failedStart(starts[3], logs[3]))
        .contains("Missing setting hub.security.clients")
        .contains("HUB_SECURITY_CLIENTS")
        .contains("hub.security.open=true");
  }

  /** The engines' addresses and the API's one client, as an operator sets them. */
  private static Map<String, String> engines() {
    Map<String, String> env = new HashMap<>();
    env.put("HUB_SECURITY_CLIENTS", "test");
    env.put("HUB_SECURITY_TOKENS_TEST_TOKEN", Http.TEST_TOKEN);
    env.put("HUB_SECURITY_TOKENS_TEST_ROLES", "admin");
    env.put("CAMEL_COMPONENT_KAFKA_BROKERS", brokers);
    env.put("HUB_DB_URL", dbUrl);
    env.put("HUB_DB_USER", dbUser);
    return env;
  }

  /** Waits for a start to end by itself; asserts exit code 1 and returns what it printed. */
  private static String failedStart(Process hub, Path log) throws Exception {
    boolean ended = hub.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      hub.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(ended).as("the start stopped by itself: " + output).isTrue();
    assertThat(hub.exitValue()).as(output).isEqualTo(1);
    assertThat(output).contains("Camel Event Hub did not start");
    return output;
  }

  /**
   * {@code java -jar} in a folder without the hub's routes, templates or properties, with only the
   * given environment variables of the hub's own (none inherited from the build).
   */
  private static Process startJar(Map<String, String> env, Path workDir, Path log)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                java(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-jar",
                jar.toAbsolutePath().toString())
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("HUB_") || k.startsWith("CAMEL_"));
    builder.environment().putAll(env);
    return builder.start();
  }

  private static Process javaMain(String mainClass, String... systemProperties) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(java());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.addAll(List.of(systemProperties));
    command.add(mainClass);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The {@code KEY=value} lines a process prints, once it printed {@code last}. */
  private static CompletableFuture<Map<String, String>> printed(Process process, String last) {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Map<String, String>> result = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              Map<String, String> values = new HashMap<>();
              // reads to the end, so the process never blocks on a full pipe
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  int equals = line.indexOf('=');
                  if (equals > 0 && line.substring(0, equals).matches("[A-Z_]+")) {
                    values.put(line.substring(0, equals), line.substring(equals + 1));
                    if (line.startsWith(last + "=")) {
                      result.complete(values);
                    }
                  }
                }
                result.completeExceptionally(
                    new IllegalStateException(last + " was never printed"));
              } catch (IOException e) {
                result.completeExceptionally(e);
              }
            });
    reader.setDaemon(true);
    reader.start();
    return result;
  }

  private static int post(String base, String event) {
    return Http.post(base + "/api/events", "application/cloudevents+json", event).statusCode();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
