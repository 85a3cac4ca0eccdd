package io.eventhub.metrics;

import static io.eventhub.persistence.SqlFiles.sql;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The gauges that need a look outside the process, refreshed together on one timer ({@code
 * hub.metrics.refresh-ms}) so a scrape costs nothing and the cost stays bounded whatever the scrape
 * rate: four Kafka admin calls (partitions once, committed offsets of every group at once, earliest
 * and latest offsets) and two SQL counts on partial indexes.
 *
 * <ul>
 *   <li>{@code hub.consumer.lag{service,group,topic}}: records on the topic not yet committed by
 *       the service's group;
 *   <li>{@code hub.dlq.pending{service,topic}}: dead letters not replayed yet (the replay group
 *       {@code hub-dlq-replay.<service>} of io.eventhub.delivery.DeadLetters);
 *   <li>{@code hub.aggregations.pending{aggregation}}: orders the saga still waits on, files whose
 *       results are not all in.
 * </ul>
 *
 * A failed refresh keeps the last values and is logged at DEBUG (the broker's own health is the
 * readiness check's).
 */
final class BacklogGauges {

  private static final Logger LOG = LoggerFactory.getLogger(BacklogGauges.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final CamelContext context;
  private final MeterRegistry registry;
  private final JdbcTemplate jdbc;
  private final long periodMs;
  private final Map<List<String>, AtomicLong> values = new ConcurrentHashMap<>();
  private final Map<String, Snapshot> snapshot = new ConcurrentHashMap<>();
  private List<ConsumerRoutes.Consumer> consumers = List.of();
  private Map<String, Integer> partitions = Map.of();
  private ScheduledExecutorService timer;
  private Admin admin;

  /** The latest figures of one service, for the dashboard. */
  record Snapshot(long lag, long dlqPending) {}

  BacklogGauges(
      CamelContext context, MeterRegistry registry, DataSource dataSource, long periodMs) {
    this.context = context;
    this.registry = registry;
    this.jdbc = new JdbcTemplate(dataSource);
    this.periodMs = periodMs;
  }

  synchronized void start(List<ConsumerRoutes.Consumer> consumers) {
    this.consumers = consumers;
    for (String aggregation : List.of("orders", "files")) {
      gauge(HubMeters.PENDING, "aggregation", aggregation);
    }
    for (ConsumerRoutes.Consumer consumer : consumers) {
      for (String topic : consumer.topics()) {
        gauge(
            HubMeters.LAG,
            "service",
            consumer.service(),
            "group",
            consumer.group(),
            "topic",
            topic);
        gauge(HubMeters.DLQ_PENDING, "service", consumer.service(), "topic", dlq(topic, consumer));
      }
    }
    if (periodMs <= 0) {
      return;
    }
    timer =
        context
            .getExecutorServiceManager()
            .newSingleThreadScheduledExecutor(this, "hub-metrics-backlog");
    timer.scheduleWithFixedDelay(this::refresh, 0, periodMs, TimeUnit.MILLISECONDS);
  }

  synchronized void stop() {
    if (timer != null) {
      context.getExecutorServiceManager().shutdownNow(timer);
      timer = null;
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(1));
      admin = null;
    }
  }

  /** Lag and pending dead letters per service, summed over its topics, as last refreshed. */
  Map<String, Snapshot> snapshot() {
    return Map.copyOf(snapshot);
  }

  /** Pending aggregations as last refreshed. */
  long pending(String aggregation) {
    AtomicLong value = values.get(List.of(HubMeters.PENDING, "aggregation", aggregation));
    return value == null ? 0 : value.get();
  }

  void refresh() {
    try {
      refreshPending();
    } catch (RuntimeException e) {
      LOG.debug("Pending aggregations not refreshed: {}", e.toString());
    }
    if (consumers.isEmpty()) {
      return;
    }
    try {
      refreshKafka();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.debug("Consumer lag not refreshed: {}", e.toString());
    }
  }

  private void refreshPending() {
    set(
        jdbc.queryForObject(sql("metrics/pending-orders"), Long.class),
        HubMeters.PENDING,
        "aggregation",
        "orders");
    set(
        jdbc.queryForObject(sql("metrics/pending-files"), Long.class),
        HubMeters.PENDING,
        "aggregation",
        "files");
  }

  private void refreshKafka() throws Exception {
    Admin kafka = admin();
    Set<String> topics = new LinkedHashSet<>();
    Map<String, ListConsumerGroupOffsetsSpec> groups = new LinkedHashMap<>();
    for (ConsumerRoutes.Consumer consumer : consumers) {
      for (String topic : consumer.topics()) {
        topics.add(topic);
        topics.add(dlq(topic, consumer));
      }
      groups.put(consumer.group(), new ListConsumerGroupOffsetsSpec());
      groups.put(replayGroup(consumer), new ListConsumerGroupOffsetsSpec());
    }
    if (!partitions.keySet().containsAll(topics)) {
      Map<String, Integer> known = new HashMap<>();
      Map<String, TopicDescription> described =
          kafka
              .describeTopics(topics)
              .allTopicNames()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      described.forEach((name, d) -> known.put(name, d.partitions().size()));
      partitions = known;
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    partitions.forEach(
        (topic, count) -> {
          for (int p = 0; p < count; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
          }
        });
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        kafka.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, ListOffsetsResultInfo> starts =
        kafka.listOffsets(earliest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
        kafka.listConsumerGroupOffsets(groups).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Map<String, long[]> byService = new HashMap<>();
    Set<List<String>> seen = new HashSet<>();
    for (ConsumerRoutes.Consumer consumer : consumers) {
      for (String topic : consumer.topics()) {
        long lag = behind(topic, committed.get(consumer.group()), starts, ends);
        String dlqTopic = dlq(topic, consumer);
        long dlq = behind(dlqTopic, committed.get(replayGroup(consumer)), starts, ends);
        set(
            lag,
            HubMeters.LAG,
            "service",
            consumer.service(),
            "group",
            consumer.group(),
            "topic",
            topic);
        set(dlq, HubMeters.DLQ_PENDING, "service", consumer.service(), "topic", dlqTopic);
        long[] sums = byService.computeIfAbsent(consumer.service(), s -> new long[2]);
        sums[0] += lag;
        if (seen.add(List.of(consumer.service(), dlqTopic))) {
          sums[1] += dlq;
        }
      }
    }
    byService.forEach((service, sums) -> snapshot.put(service, new Snapshot(sums[0], sums[1])));
  }

  /** Records of the topic past the group's committed offsets (from the start where none). */
  private long behind(
      String topic,
      Map<TopicPartition, OffsetAndMetadata> committed,
      Map<TopicPartition, ListOffsetsResultInfo> starts,
      Map<TopicPartition, ListOffsetsResultInfo> ends) {
    long total = 0;
    int count = partitions.getOrDefault(topic, 0);
    for (int p = 0; p < count; p++) {
      TopicPartition partition = new TopicPartition(topic, p);
      ListOffsetsResultInfo end = ends.get(partition);
      ListOffsetsResultInfo start = starts.get(partition);
      if (end == null || start == null) {
        continue;
      }
      OffsetAndMetadata mark = committed == null ? null : committed.get(partition);
      long from = Math.max(mark == null ? 0 : mark.offset(), start.offset());
      total += Math.max(0, end.offset() - from);
    }
    return total;
  }

  private static String dlq(String topic, ConsumerRoutes.Consumer consumer) {
    return topic + "." + consumer.service() + ".dlq";
  }

  private static String replayGroup(ConsumerRoutes.Consumer consumer) {
    return "hub-dlq-replay." + consumer.service();
  }

  private synchronized Admin admin() {
    if (admin == null) {
      Properties props = new Properties();
      props.put(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
          context.getComponent("kafka", KafkaComponent.class).getConfiguration().getBrokers());
      props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
      props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
      props.put(AdminClientConfig.CLIENT_ID_CONFIG, "hub-metrics");
      admin = Admin.create(props);
    }
    return admin;
  }

  private void set(Long value, String name, String... tags) {
    gauge(name, tags).set(value == null ? 0 : value);
  }

  private AtomicLong gauge(String name, String... tags) {
    List<String> key = new ArrayList<>();
    key.add(name);
    key.addAll(List.of(tags));
    return values.computeIfAbsent(
        key,
        k -> {
          AtomicLong holder = new AtomicLong();
          Gauge.builder(name, holder, AtomicLong::get).tags(tags).register(registry);
          return holder;
        });
  }
}
