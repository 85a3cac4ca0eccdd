package io.eventhub.engines;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics the hub needs, leaving those that exist as they are. */
public final class Topics {

  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

  private Topics() {}

  /**
   * @param compacted the topics among {@code names} that keep the latest record per key for good
   *     ({@code cleanup.policy=compact}) instead of deleting old records after the retention time
   */
  public static void ensure(
      String bootstrapServers,
      Collection<String> names,
      Collection<String> compacted,
      int partitions,
      short replicationFactor)
      throws InterruptedException, ExecutionException, TimeoutException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String name : names) {
        if (!existing.contains(name)) {
          NewTopic topic = new NewTopic(name, partitions, replicationFactor);
          if (compacted.contains(name)) {
            topic.configs(Map.of("cleanup.policy", "compact"));
          }
          missing.add(topic);
        }
      }
      // each topic on its own: another instance starting at the same time may create some of
      // them first (TopicExistsException), which is as good as creating them here
      List<String> created = new ArrayList<>();
      for (Map.Entry<String, KafkaFuture<Void>> result :
          admin.createTopics(missing).values().entrySet()) {
        try {
          result.getValue().get(30, TimeUnit.SECONDS);
          created.add(result.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          LOG.info("Topic {} was created meanwhile by another instance", result.getKey());
        }
      }
      if (!created.isEmpty()) {
        LOG.info("Created topics {} with {} partitions", created, partitions);
      }
    }
  }
}
