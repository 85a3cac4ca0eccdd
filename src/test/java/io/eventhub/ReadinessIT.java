package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.PrivateEngines;
import io.eventhub.support.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness sees the engines: PostgreSQL, Kafka and (when the profile cache is there) Redis stopped
 * in turn turn {@code /observe/health/ready} DOWN (503) within seconds and back UP when they
 * return, while {@code /observe/health/live} stays UP throughout.
 */
class ReadinessIT {

  private static final Logger LOG = LoggerFactory.getLogger(ReadinessIT.class);

  /** Upper bound for readiness to see an engine gone; measured well under it (see the log). */
  private static final Duration DOWN_WITHIN = Duration.ofSeconds(10);

  private static final String SLICE =
      "file:routes/delivery-conventions.camel.yaml,file:routes/outside-services.camel.yaml,"
          + "file:routes/consumer-templates.camel.yaml,file:routes/shipping-on-order-created.camel.yaml";

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void readinessFollowsEachEngineAndLivenessStaysUp() throws Exception {
    // engines of its own: stopping the shared ones would break the tests around it
    RedisServer redis = RedisServer.installed() ? new RedisServer() : null;
    try (PrivateEngines engines = new PrivateEngines("readiness")) {
      Map<String, String> properties = new LinkedHashMap<>(engines.properties());
      properties.put("camel.main.routes-include-pattern", SLICE);
      if (redis != null) {
        properties.put("hub.cache.redis.url", redis.url());
      } else {
        LOG.warn("redis-server is not installed: readiness with Redis down is not tested here");
      }
      try (HubRunner hub = new HubRunner(properties)) {
        awaitReady(hub);
        JsonNode ready = body(hub, "/observe/health/ready?exposureLevel=full");
        LOG.info("Readiness checks: {}", checkNames(ready));
        assertThat(checkNames(ready)).contains("database", "kafka");
        if (redis != null) {
          assertThat(checkNames(ready)).contains("redis");
        }
        LOG.info(
            "Liveness checks: {}",
            checkNames(body(hub, "/observe/health/live?exposureLevel=full")));
        assertThat(checkNames(body(hub, "/observe/health/live?exposureLevel=full")))
            .as("engines are readiness, not liveness")
            .doesNotContain("database", "kafka", "redis");

        outage(hub, "database", engines::stopPostgres, engines::startPostgres);
        if (redis != null) {
          outage(hub, "redis", redis::stop, redis::start);
        }
        outage(hub, "kafka", engines::stopKafka, engines::startKafka);
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  /** Stops the engine: readiness DOWN (that check DOWN), liveness UP; starts it: readiness UP. */
  private void outage(HubRunner hub, String check, Step stop, Step start) throws Exception {
    long stopping = System.nanoTime();
    stop.run();
    long stopped = System.nanoTime();
    await()
        .atMost(DOWN_WITHIN)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> status(hub, "/observe/health/ready") == 503);
    long down = System.nanoTime();
    JsonNode ready = body(hub, "/observe/health/ready?exposureLevel=full");
    assertThat(ready.path("status").asText()).isEqualTo("DOWN");
    assertThat(stateOf(ready, check)).as(check + " in " + ready).isEqualTo("DOWN");
    HttpResponse<String> live = Http.get(hub.url("/observe/health/live"));
    assertThat(live.statusCode()).as("liveness while " + check + " is down").isEqualTo(200);
    assertThat(json.readTree(live.body()).path("status").asText()).isEqualTo("UP");

    start.run();
    long started = System.nanoTime();
    awaitReady(hub);
    long up = System.nanoTime();
    assertThat(status(hub, "/observe/health/live")).isEqualTo(200);
    LOG.info(
        "Readiness with {} stopped: stop took {} ms, DOWN {} ms after it; back UP {} ms after the"
            + " start ({} ms)",
        check,
        (stopped - stopping) / 1_000_000,
        (down - stopped) / 1_000_000,
        (up - started) / 1_000_000,
        (started - down) / 1_000_000);
  }

  private void awaitReady(HubRunner hub) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> status(hub, "/observe/health/ready") == 200);
  }

  private static int status(HubRunner hub, String path) {
    return Http.get(hub.url(path)).statusCode();
  }

  private JsonNode body(HubRunner hub, String path) throws Exception {
    return json.readTree(Http.get(hub.url(path)).body());
  }

  private static java.util.List<String> checkNames(JsonNode health) {
    java.util.List<String> names = new java.util.ArrayList<>();
    health.path("checks").forEach(c -> names.add(c.path("name").asText()));
    return names;
  }

  private static String stateOf(JsonNode health, String name) {
    for (JsonNode c : health.path("checks")) {
      if (name.equals(c.path("name").asText())) {
        return c.path("status").asText();
      }
    }
    return "absent";
  }
}
