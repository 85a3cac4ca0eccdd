package io.eventhub.health;

import java.net.URI;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import redis.clients.jedis.Jedis;

/**
 * Readiness of the profile cache's Redis, registered only when {@code hub.cache.redis.url} is set:
 * a new connection (as the database check, not one from the cache's pool) answers {@code PING}
 * within {@code timeoutMs}. Readiness only.
 */
public class RedisHealthCheck extends AbstractHealthCheck {

  private final URI url;
  private final int timeoutMs;

  public RedisHealthCheck(String url, int timeoutMs) {
    super("hub", "redis");
    this.url = URI.create(url);
    this.timeoutMs = timeoutMs;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    // the address without credentials
    builder.detail("address", url.getHost() + ":" + url.getPort());
    try (Jedis redis = new Jedis(url, timeoutMs)) {
      if ("PONG".equals(redis.ping())) {
        builder.up();
      } else {
        builder.message("Redis did not answer PING with PONG");
        builder.down();
      }
    } catch (RuntimeException e) {
      builder.message("Redis does not answer: " + e.getMessage());
      builder.down();
    }
  }
}
