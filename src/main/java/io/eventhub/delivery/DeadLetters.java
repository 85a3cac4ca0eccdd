package io.eventhub.delivery;

import io.eventhub.http.ProblemException;
import io.eventhub.persistence.SqlFiles;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Lists and replays the dead letter topics of a service ({@code <topic>.<service>.dlq}). A replay
 * publishes each record not yet replayed back to the topic it came from, with its key and
 * CloudEvent headers; the consumer group {@code hub-dlq-replay.<service>} remembers how far replays
 * went, so each dead letter is replayed once. Services that already handled the event skip it
 * through their inbox.
 */
public class DeadLetters implements CamelContextAware {

  public static final String HEADER_PREFIX = "hub_dlq_";
  private static final Duration POLL = Duration.ofMillis(500);
  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;
  private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private CamelContext camelContext;

  @Override
  public CamelContext getCamelContext() {
    return camelContext;
  }

  @Override
  public void setCamelContext(CamelContext camelContext) {
    this.camelContext = camelContext;
  }

  /** The first page of a service's dead letters (the default page size). */
  public Map<String, Object> list(String service) throws Exception {
    return list(service, null, null);
  }

  /**
   * One page of the dead letters of a service, oldest first per partition, with why each failed and
   * whether replayed: at most {@code limit} records (default {@value #DEFAULT_PAGE}, at most
   * {@value #MAX_PAGE}), never the whole topic in memory. {@code next} is the cursor of the page
   * after ({@code ?after=}), absent on the last page.
   */
  public Map<String, Object> list(String service, Integer limit, String after) throws Exception {
    checkName(service);
    int pageSize = limit == null ? DEFAULT_PAGE : limit;
    if (pageSize < 1 || pageSize > MAX_PAGE) {
      throw new ProblemException(
          400, "Bad Request", "limit is a number from 1 to " + MAX_PAGE + ".");
    }
    Map<TopicPartition, Long> positions = Cursor.decode(after);
    List<Map<String, Object>> records = new ArrayList<>();
    boolean more = false;
    try (KafkaConsumer<String, String> consumer = consumer(replayGroup(service), pageSize)) {
      for (String topic : topics(service)) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        Map<TopicPartition, OffsetAndMetadata> replayed =
            consumer.committed(Set.copyOf(partitions));
        consumer.assign(partitions);
        Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions);
        for (TopicPartition partition : partitions) {
          long from = Math.max(positions.getOrDefault(partition, 0L), start.get(partition));
          consumer.seek(partition, from);
          positions.put(partition, from);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!reached(positions, end) && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
            TopicPartition partition = new TopicPartition(topic, record.partition());
            if (record.offset() < positions.get(partition)
                || record.offset() >= end.get(partition)) {
              continue;
            }
            if (records.size() >= pageSize) {
              more = true;
              break;
            }
            OffsetAndMetadata mark = replayed.get(partition);
            boolean done = (mark != null && record.offset() < mark.offset()) || wasReplayed(record);
            records.add(describe(record, done));
            positions.put(partition, record.offset() + 1);
          }
          if (more) {
            break;
          }
        }
        if (more) {
          break;
        }
        more = false;
      }
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("service", service);
    answer.put("count", records.size());
    answer.put("records", records);
    if (more) {
      answer.put("next", Cursor.encode(positions));
    }
    return answer;
  }

  /**
   * Publishes every dead letter of the service not replayed before back to its topic. One replay
   * per service at a time across instances (a PostgreSQL advisory lock: a second one meanwhile is
   * answered 409), and each record once ever (a marker row per dead letter, {@code dlq_replays}): a
   * second replay, or a double click, republishes nothing.
   */
  public Map<String, Object> replay(String service) throws Exception {
    checkName(service);
    DataSource dataSource =
        camelContext.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    String lock = "dlq-replay:" + service;
    try (Connection connection = dataSource.getConnection()) {
      NamedParameterJdbcTemplate session =
          new NamedParameterJdbcTemplate(new SingleConnectionDataSource(connection, true));
      if (!Boolean.TRUE.equals(
          session.queryForObject(
              SqlFiles.sql("reliability/replay-lock"), Map.of("lock", lock), Boolean.class))) {
        throw new ProblemException(
            409, "Conflict", "A replay of the dead letters of " + service + " is running.");
      }
      try {
        return replayAlone(service, new NamedParameterJdbcTemplate(dataSource));
      } finally {
        session.queryForObject(
            SqlFiles.sql("reliability/replay-unlock"), Map.of("lock", lock), Boolean.class);
      }
    }
  }

  private Map<String, Object> replayAlone(String service, NamedParameterJdbcTemplate markers)
      throws Exception {
    int replayed = 0;
    try (KafkaConsumer<String, String> consumer = consumer(replayGroup(service));
        KafkaProducer<String, String> producer = producer()) {
      for (String topic : topics(service)) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        Map<TopicPartition, OffsetAndMetadata> committed =
            consumer.committed(Set.copyOf(partitions));
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
          OffsetAndMetadata mark = committed.get(partition);
          if (mark == null) {
            consumer.seekToBeginning(List.of(partition));
          } else {
            consumer.seek(partition, mark.offset());
          }
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (ConsumerRecord<String, String> record : readToEnd(consumer, partitions)) {
          String origin = header(record, HEADER_PREFIX + "origin_topic");
          TopicPartition from = new TopicPartition(record.topic(), record.partition());
          if (origin == null || wasReplayed(markers, record)) {
            done.put(from, new OffsetAndMetadata(record.offset() + 1));
            continue;
          }
          ProducerRecord<String, String> again =
              new ProducerRecord<>(origin, record.key(), record.value());
          for (Header h : record.headers()) {
            if (!h.key().startsWith(HEADER_PREFIX)) {
              again.headers().add(h);
            }
          }
          again
              .headers()
              .add(
                  "hub_replayed_from",
                  (record.topic() + "/" + record.partition() + "/" + record.offset())
                      .getBytes(StandardCharsets.UTF_8));
          producer.send(again).get();
          // sent, then marked: a crash in between replays it once more, which the inbox absorbs
          markers.update(SqlFiles.sql("reliability/mark-replayed"), where(record));
          replayed++;
          done.put(
              new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1));
        }
        if (!done.isEmpty()) {
          consumer.commitSync(done);
        }
      }
    }
    return Map.of("service", service, "replayed", replayed);
  }

  private List<String> topics(String service) throws ExecutionException, InterruptedException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
    try (Admin admin = Admin.create(props)) {
      String suffix = "." + service + ".dlq";
      return admin.listTopics().names().get().stream()
          .filter(name -> name.endsWith(suffix))
          .sorted()
          .toList();
    }
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    List<TopicPartition> result = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(topic)) {
      result.add(new TopicPartition(topic, info.partition()));
    }
    return result;
  }

  private static List<ConsumerRecord<String, String>> readToEnd(
      KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!reached(consumer, end) && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
        if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
          records.add(record);
        }
      }
    }
    return records;
  }

  private boolean wasReplayed(ConsumerRecord<?, ?> record) {
    DataSource dataSource =
        camelContext.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    return dataSource != null && wasReplayed(new NamedParameterJdbcTemplate(dataSource), record);
  }

  private static boolean wasReplayed(NamedParameterJdbcTemplate jdbc, ConsumerRecord<?, ?> record) {
    Long count =
        jdbc.queryForObject(SqlFiles.sql("reliability/replayed"), where(record), Long.class);
    return count != null && count > 0;
  }

  private static Map<String, Object> where(ConsumerRecord<?, ?> record) {
    return Map.of(
        "topic", record.topic(), "partition", record.partition(), "offset", record.offset());
  }

  private static boolean reached(
      Map<TopicPartition, Long> positions, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (positions.get(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Object> describe(
      ConsumerRecord<String, String> record, boolean replayed) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("topic", record.topic());
    row.put("partition", record.partition());
    row.put("offset", record.offset());
    row.put("key", record.key());
    row.put("eventId", header(record, "ce_id"));
    row.put("type", header(record, "ce_type"));
    row.put("originTopic", header(record, HEADER_PREFIX + "origin_topic"));
    row.put("reason", header(record, HEADER_PREFIX + "reason"));
    row.put("exception", header(record, HEADER_PREFIX + "exception"));
    row.put("attempts", header(record, HEADER_PREFIX + "attempts"));
    row.put("failedAt", header(record, HEADER_PREFIX + "failed_at"));
    row.put("replayed", replayed);
    row.put("value", record.value());
    return row;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static void checkName(String service) {
    if (service == null || !SERVICE_NAME.matcher(service).matches()) {
      throw new ProblemException(
          400, "Bad Request", "A service name is lower-case letters, digits and dashes.");
    }
  }

  private static String replayGroup(String service) {
    return "hub-dlq-replay." + service;
  }

  private String brokers() {
    return camelContext.getComponent("kafka", KafkaComponent.class).getConfiguration().getBrokers();
  }

  private KafkaConsumer<String, String> consumer(String group) {
    return consumer(group, 500);
  }

  private KafkaConsumer<String, String> consumer(String group, int maxPollRecords) {
    Properties props = new Properties();
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPollRecords));
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(props);
  }

  private KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(props);
  }
}
