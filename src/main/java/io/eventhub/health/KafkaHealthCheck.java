package io.eventhub.health;

import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Readiness of the Kafka cluster: one admin client (made on first use, kept, so a check is one
 * request on an open connection) asks for the cluster's brokers within {@code timeoutMs}. DOWN when
 * no broker answers in time; UP again as soon as one does (the client reconnects by itself).
 * Readiness only: a broker outage is no reason to restart the hub.
 */
public class KafkaHealthCheck extends AbstractHealthCheck implements AutoCloseable {

  private final String bootstrapServers;
  private final int timeoutMs;
  private Admin admin;

  public KafkaHealthCheck(String bootstrapServers, int timeoutMs) {
    super("hub", "kafka");
    this.bootstrapServers = bootstrapServers;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    builder.detail("bootstrap.servers", bootstrapServers);
    try {
      Collection<Node> nodes =
          admin()
              .describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
              .nodes()
              .get(timeoutMs + 1000L, TimeUnit.MILLISECONDS);
      if (nodes.isEmpty()) {
        builder.message("Kafka answered with no brokers");
        builder.down();
      } else {
        builder.detail("brokers", nodes.size());
        builder.up();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      builder.message("interrupted while asking Kafka");
      builder.down();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      builder.message("Kafka does not answer: " + cause.getMessage());
      builder.down();
    }
  }

  private synchronized Admin admin() {
    if (admin == null) {
      Properties props = new Properties();
      props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
      props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
      // reconnect soon after the broker is back, so readiness turns UP within a check or two
      props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
      props.put(AdminClientConfig.CLIENT_ID_CONFIG, "hub-health");
      admin = Admin.create(props);
    }
    return admin;
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close();
      admin = null;
    }
  }
}
