package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.delivery.TransientException;
import io.eventhub.http.ProblemException;
import io.eventhub.profile.InMemoryProfileCache;
import io.eventhub.profile.ProfileCache;
import io.eventhub.profile.RedisProfileCache;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.ProfileEvents;
import io.eventhub.support.RedisServer;
import io.eventhub.support.TestEngines;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The profile cache in a real Redis (Debian's redis-server, started for the test; skipped with the
 * reason where it is not installed): the version guard holds under concurrent writers, as it does
 * in process, and the hub uses Redis end to end when hub.cache.redis.url is set.
 */
class RedisProfileCacheIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "test:profile:";

  private static RedisServer redis;
  private static RedisProfileCache cache;

  @BeforeAll
  static void startRedis() {
    if (RedisServer.installed()) {
      redis = new RedisServer();
      cache = new RedisProfileCache(redis.url(), PREFIX);
    }
  }

  @BeforeEach
  void needsRedis() {
    RedisServer.assumeInstalled();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (cache != null) {
      cache.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void onlyANewerVersionReplacesAProfile() {
    String userId = ProfileEvents.newUserId();

    assertThat(cache.get(userId)).isEmpty();
    assertThat(cache.putIfNewer(userId, 2, "{\"version\":2}")).isTrue();
    assertThat(cache.putIfNewer(userId, 1, "{\"version\":1}")).isFalse();
    assertThat(cache.putIfNewer(userId, 2, "{\"version\":2,\"again\":true}")).isFalse();
    assertThat(cache.get(userId)).hasValue("{\"version\":2}");
    assertThat(cache.putIfNewer(userId, 3, "{\"version\":3}")).isTrue();
    assertThat(cache.get(userId)).hasValue("{\"version\":3}");
  }

  @Test
  void concurrentWritersEndWithTheNewestVersionInRedisAndInProcess() throws Exception {
    assertNewestWins(cache);
    assertNewestWins(new InMemoryProfileCache());
  }

  @Test
  void anUnreachableRedisIsTransientForCacheSyncAndA503ForTheQuery() throws Exception {
    RedisServer gone = new RedisServer();
    try (RedisProfileCache unreachable = new RedisProfileCache(gone.url(), PREFIX)) {
      gone.close();
      assertThatThrownBy(() -> unreachable.putIfNewer("user-1", 1, "{}"))
          .isInstanceOf(TransientException.class);
      assertThatThrownBy(() -> unreachable.get("user-1"))
          .isInstanceOfSatisfying(
              ProblemException.class, problem -> assertThat(problem.status()).isEqualTo(503));
    }
  }

  @Test
  void theHubKeepsProfilesInRedisWhenItIsConfigured() throws Exception {
    TestEngines.start();
    String userId = ProfileEvents.newUserId();
    try (HubRunner hub =
        new HubRunner(
            Map.of(
                "camel.main.routes-include-pattern",
                "file:routes/delivery-conventions.camel.yaml,file:routes/consumer-templates.camel.yaml,"
                    + "file:routes/cache-sync-on-user-profile-updated.camel.yaml,"
                    + "file:routes/users-api.camel.yaml",
                "hub.cache.redis.url",
                redis.url(),
                "hub.cache.redis.key-prefix",
                PREFIX))) {
      assertThat(hub.context().resolvePropertyPlaceholders("{{hub.cache.sync.group-id}}"))
          .as("instances share the Redis cache, so they share one consumer group")
          .isEqualTo("cache-sync");

      send(userId, 2);
      send(userId, 1);
      send(userId, 2);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Http.get(hub.url("/api/users/" + userId + "/profile")).statusCode() == 200);
      HttpResponse<String> profile = Http.get(hub.url("/api/users/" + userId + "/profile"));
      assertThat(JSON.readTree(profile.body()).get("version").asLong()).isEqualTo(2);
      try (RedisClient client = RedisClient.create(URI.create(redis.url()))) {
        assertThat(client.hget(PREFIX + userId, "version")).isEqualTo("2");
        assertThat(client.hget(PREFIX + userId, "profile")).isEqualTo(profile.body());
      }
    }
  }

  private static void send(String userId, long version) throws Exception {
    KafkaProbe.send(
        "users.events",
        userId,
        ProfileEvents.data(userId, version, List.of("name")),
        Map.of(
            "ce_id", ProfileEvents.newEventId(),
            "ce_type", "UserProfileUpdated",
            "ce_source", "/test",
            "ce_specversion", "1.0"));
  }

  /** Eight writers offer versions 1..200 of one profile in random order: 200 stays. */
  private static void assertNewestWins(ProfileCache cache) throws Exception {
    String userId = ProfileEvents.newUserId();
    List<Integer> versions = new ArrayList<>();
    for (int v = 1; v <= 200; v++) {
      versions.add(v);
    }
    Collections.shuffle(versions);
    ExecutorService writers = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> writes = new ArrayList<>();
      for (int version : versions) {
        writes.add(
            writers.submit(
                () -> cache.putIfNewer(userId, version, "{\"version\":" + version + "}")));
      }
      for (Future<Boolean> write : writes) {
        write.get();
      }
    } finally {
      writers.shutdown();
    }
    assertThat(cache.get(userId)).hasValue("{\"version\":200}");
  }
}
