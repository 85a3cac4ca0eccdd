package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.CommitFaults;
import io.eventhub.support.Events;
import io.eventhub.support.HubRunner;
import io.eventhub.support.Stock;
import io.eventhub.support.TestEngines;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An offset commit that fails (as every commit does while the broker restarts: the client's
 * TimeoutException) must not lose the next record. Camel's default for a failure in its poll loop
 * (pollOnError ERROR_HANDLER) seeks every assigned partition one past its position, which silently
 * skipped the record after the last processed one: the fault suite's OrderCreated that inventory
 * never decided, while its group committed past it. The hub reconnects the consumer instead
 * (camel.component.kafka.poll-on-error=RECONNECT): it reads again from the last committed offset.
 */
class OffsetCommitFailureIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "orders.events";
  private static final String GROUP = "inventory-reservations";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static HubRunner hub;

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    hub =
        new HubRunner(
            Map.of(
                "camel.component.kafka.kafka-client-factory",
                "#class:" + CommitFaults.class.getName(),
                "hub.retry.initial-delay-ms",
                "100",
                "hub.retry.max-delay-ms",
                "400"));
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
  }

  @Test
  void aFailedCommitDoesNotSkipTheNextRecord() throws Exception {
    // stock for every order, so that each is reserved and nothing else is written to
    // orders.events (a rejected order would be cancelled there by the saga)
    Stock.set("SKU-RED-MUG", 1000);
    Stock.set("SKU-BLUE-CAP", 1000);
    // the consumer runs and has read this partition up to its end
    String warmUp = send(orderCreated()).orderId();
    await().atMost(WAIT).until(() -> Stock.status(warmUp) != null);

    // A is processed; its commit fails, after B (the next record of the partition) was written
    String[] a = orderCreated();
    String[] b = orderCreated();
    long offsetOfA = endOffset();
    long[] offsetOfB = {-1};
    CommitFaults.failCommit(
        new CommitFaults.Fault(
            GROUP, PARTITION, offsetOfA + 1, p -> offsetOfB[0] = send(b).offset()));
    assertThat(send(a).offset()).isEqualTo(offsetOfA);

    await().atMost(WAIT).until(CommitFaults::fired);
    // B is the record right after A: where the consumer stood when the commit failed
    assertThat(offsetOfB[0]).isEqualTo(offsetOfA + 1);

    // both decided, and the group's offset passed B only once B was decided
    await().atMost(WAIT).until(() -> Stock.status(orderId(a)) != null);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(Stock.status(orderId(b)))
                    .as("inventory's decision on the record after the failed commit")
                    .isNotNull());
    await().atMost(WAIT).until(() -> committed() > offsetOfB[0]);
    assertThat(Stock.status(orderId(b))).isNotNull();
  }

  private static String[] orderCreated() {
    return Events.orderCreated();
  }

  private static String orderId(String[] event) throws Exception {
    return JSON.readTree(event[1]).at("/data/orderId").asText();
  }

  private record Sent(String orderId, long offset) {}

  /** The event as intake writes it (data as the value, ce_* headers), to the chosen partition. */
  private static Sent send(String[] event) {
    try {
      var json = JSON.readTree(event[1]);
      String orderId = json.at("/data/orderId").asText();
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers());
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
        ProducerRecord<String, String> record =
            new ProducerRecord<>(TOPIC, 0, orderId, json.get("data").toString());
        for (String field : List.of("specversion", "id", "source", "type", "time", "subject")) {
          record.headers().add("ce_" + field, json.get(field).asText().getBytes());
        }
        return new Sent(orderId, producer.send(record).get().offset());
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers());
    return Admin.create(props);
  }

  private static long endOffset() throws Exception {
    try (Admin admin = admin()) {
      return admin
          .listOffsets(Map.of(PARTITION, OffsetSpec.latest()))
          .partitionResult(PARTITION)
          .get()
          .offset();
    }
  }

  private static long committed() throws Exception {
    try (Admin admin = admin()) {
      OffsetAndMetadata offset =
          admin
              .listConsumerGroupOffsets(GROUP)
              .partitionsToOffsetAndMetadata()
              .get()
              .get(PARTITION);
      return offset == null ? -1 : offset.offset();
    }
  }
}
