package io.eventhub.profile;

import io.eventhub.delivery.TransientException;
import io.eventhub.http.ProblemException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The profile cache in Redis, shared by every hub instance: one hash per user ({@code
 * <prefix><userId>} with fields {@code version} and {@code profile}). The version check and the
 * write run as one Lua script, so two instances never interleave them. An unreachable Redis is a
 * transient failure: cache sync retries it, the query answers 503.
 */
public class RedisProfileCache implements ProfileCache, AutoCloseable {

  static final String PUT_IF_NEWER =
      """
      local cached = redis.call('HGET', KEYS[1], 'version')
      if cached and tonumber(cached) >= tonumber(ARGV[1]) then
        return 0
      end
      redis.call('HSET', KEYS[1], 'version', ARGV[1], 'profile', ARGV[2])
      return 1
      """;

  private final RedisClient redis;
  private final String keyPrefix;

  public RedisProfileCache(String url, String keyPrefix) {
    this.redis = RedisClient.create(URI.create(url));
    this.keyPrefix = keyPrefix;
  }

  @Override
  public boolean putIfNewer(String userId, long version, String profile) {
    try {
      Object stored =
          redis.eval(
              PUT_IF_NEWER, List.of(keyPrefix + userId), List.of(Long.toString(version), profile));
      return Long.valueOf(1).equals(stored);
    } catch (JedisConnectionException e) {
      throw new TransientException("The profile cache (Redis) is unreachable.");
    }
  }

  @Override
  public Optional<String> get(String userId) {
    try {
      return Optional.ofNullable(redis.hget(keyPrefix + userId, "profile"));
    } catch (JedisConnectionException e) {
      throw new ProblemException(
          503, "Service Unavailable", "The profile cache is unavailable; try again shortly.");
    }
  }

  @Override
  public void close() {
    redis.close();
  }
}
