package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CloudEvents end to end on the real engines: the three HTTP modes give the same Kafka record (read
 * back with the SDK's Kafka deserializer), a batch of 500 is one answer and 500 records in order
 * per key, a bad batch publishes nothing, and the traceparent a producer sends reaches the shipping
 * stand-in, with the same trace id in the call's own trace context.
 */
class CloudEventsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOPIC = "orders.events";

  private static FakeService shipping;
  private static HubRunner hub;

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    shipping = new FakeService();
    hub =
        new HubRunner(
            Map.of(
                "hub.services.shipping.url",
                shipping.url("/shipments"),
                "hub.kafka.partitions",
                "3"));
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
    shipping.close();
  }

  @Test
  void theSameEventInEachModeGivesTheSameKafkaRecord() throws Exception {
    String source = "/it/modes-" + UUID.randomUUID();
    ObjectNode event = (ObjectNode) JSON.readTree(Events.orderCreated()[1]);
    event.put("source", source);
    event.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    event.put("tenant", "acme");
    String id = event.get("id").asText();

    ObjectNode structured = event.deepCopy().put("id", id + "-structured");
    assertThat(post("application/cloudevents+json", structured.toString(), Map.of()).statusCode())
        .isEqualTo(202);
    Map<String, String> headers = new LinkedHashMap<>();
    event
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!name.equals("data") && !name.equals("datacontenttype")) {
                headers.put("ce-" + name, event.get(name).asText());
              }
            });
    headers.put("ce-id", id + "-binary");
    assertThat(post("application/json", event.get("data").toString(), headers).statusCode())
        .isEqualTo(202);
    ObjectNode batched = event.deepCopy().put("id", id + "-batch");
    HttpResponse<String> batch =
        post("application/cloudevents-batch+json", "[" + batched + "]", Map.of());
    assertThat(batch.statusCode()).isEqualTo(202);

    List<ConsumerRecord<String, CloudEvent>> records = cloudEvents(source);
    assertThat(records).hasSize(3);
    ConsumerRecord<String, CloudEvent> first = records.get(0);
    CloudEvent expected = withoutId(first.value());
    for (ConsumerRecord<String, CloudEvent> record : records) {
      assertThat(record.key()).isEqualTo(first.key());
      assertThat(record.value().getId()).startsWith(id + "-");
      assertThat(withoutId(record.value())).isEqualTo(expected);
    }
    assertThat(expected.getExtension("traceparent"))
        .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    assertThat(expected.getExtension("tenant")).isEqualTo("acme");
    assertThat(expected.getDataContentType()).isEqualTo("application/json");
    assertThat(JSON.readTree(expected.getData().toBytes()))
        .isEqualTo(JSON.readTree(event.get("data").toString()));
  }

  @Test
  void aBatchOf500IsOneAnswerAnd500RecordsInOrderPerKey() throws Exception {
    String source = "/it/batch-" + UUID.randomUUID();
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      orders.add("order-" + UUID.randomUUID());
    }
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 500; i++) {
      ObjectNode event = (ObjectNode) JSON.readTree(Events.orderCreated()[1]);
      event.put("source", source).put("id", "evt-" + i);
      ((ObjectNode) event.get("data")).put("orderId", orders.get(i % orders.size()));
      body.append(i == 0 ? "" : ",").append(event);
    }
    body.append(']');

    HttpResponse<String> answer =
        post("application/cloudevents-batch+json", body.toString(), Map.of());

    assertThat(answer.statusCode()).isEqualTo(202);
    JsonNode accepted = JSON.readTree(answer.body());
    assertThat(accepted.get("ids")).hasSize(500);
    assertThat(accepted.get("published").asInt()).isEqualTo(500);
    List<ConsumerRecord<String, CloudEvent>> records = cloudEvents(source);
    assertThat(records).hasSize(500);
    Map<String, Integer> last = new HashMap<>();
    for (ConsumerRecord<String, CloudEvent> record : records) {
      int index = Integer.parseInt(record.value().getId().substring(4));
      assertThat(record.key()).isEqualTo(orders.get(index % orders.size()));
      Integer before = last.put(record.key(), index);
      assertThat(before == null || before < index)
          .as("in order for key %s: %s after %s", record.key(), index, before)
          .isTrue();
    }
  }

  @Test
  void aBatchWithOneBadEventPublishesNothingAndNamesItsIndex() throws Exception {
    String source = "/it/bad-batch-" + UUID.randomUUID();
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 10; i++) {
      ObjectNode event = (ObjectNode) JSON.readTree(Events.orderCreated()[1]);
      event.put("source", source);
      if (i == 7) {
        ((ObjectNode) event.get("data")).remove("customerId");
      }
      body.append(i == 0 ? "" : ",").append(event);
    }
    body.append(']');

    HttpResponse<String> answer =
        post("application/cloudevents-batch+json", body.toString(), Map.of());

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(answer.body());
    assertThat(problem.get("invalid")).hasSize(1);
    assertThat(problem.at("/invalid/0/index").asInt()).isEqualTo(7);
    assertThat(cloudEvents(source)).isEmpty();
  }

  @Test
  void theTraceparentSentAtIntakeArrivesAtShippingInTheSameTrace() throws Exception {
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String traceparent = "00-" + traceId + "-b7ad6b7169203331-01";
    String[] event = Events.orderCreated();
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode structured = JSON.readTree(event[1]);
    for (String name : List.of("specversion", "id", "source", "type", "time", "subject")) {
      headers.put("ce-" + name, structured.get(name).asText());
    }
    headers.put("ce-traceparent", traceparent);
    headers.put("ce-tracestate", "shop=1");

    assertThat(post("application/json", structured.get("data").toString(), headers).statusCode())
        .isEqualTo(202);

    await().atMost(WAIT).until(() -> shipping.acceptedFor(event[0]) == 1);
    FakeService.Call call = shipping.callsFor(event[0]).get(0);
    JsonNode sent = JSON.readTree(call.body());
    assertThat(sent.get("traceparent").asText()).isEqualTo(traceparent);
    assertThat(sent.get("tracestate").asText()).isEqualTo("shop=1");
    assertThat(call.idempotencyKey()).isEqualTo("/shop/checkout " + event[0]);
    // the call's own trace context: the consumer continued the event's trace, in a span of its own
    assertThat(call.traceparent()).isNotNull().startsWith("00-" + traceId + "-");
    assertThat(call.traceparent()).isNotEqualTo(traceparent);
  }

  private static HttpResponse<String> post(
      String contentType, String body, Map<String, String> headers) {
    return Http.post(hub.url("/api/events"), contentType, body, headers);
  }

  private static CloudEvent withoutId(CloudEvent event) {
    return CloudEventBuilder.v1(event).withId("-").build();
  }

  /**
   * The records of the topic from this source, turned into CloudEvents by the SDK's Kafka
   * deserializer (records of other tests on the shared broker, not all CloudEvents, left alone).
   */
  private static List<ConsumerRecord<String, CloudEvent>> cloudEvents(String source) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<String, CloudEvent>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
        CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(TOPIC).stream()
              .map(p -> new TopicPartition(TOPIC, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          Header from = record.headers().lastHeader("ce_source");
          if (from != null && source.equals(new String(from.value(), StandardCharsets.UTF_8))) {
            records.add(
                new ConsumerRecord<>(
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    record.key(),
                    deserializer.deserialize(TOPIC, record.headers(), record.value())));
          }
        }
      }
    }
    return records;
  }
}
