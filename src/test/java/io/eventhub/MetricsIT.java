package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.Scrape;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /observe/metrics as Prometheus scrapes it, on the real engines: one good OrderCreated, one that
 * shipping refuses until it is dead-lettered, and a redelivery of the good one; each of shipping's
 * series moves by exactly what happened, and the intake, callback, lag, dead letter, pending and
 * rerun series are there.
 */
class MetricsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String[] SHIPPING = {"service", "shipping", "type", "OrderCreated"};
  private static final String[] SAGA = {"service", "order-saga", "type", "OrderCreated"};

  private static FakeService shipping;
  private static HubRunner hub;

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    shipping = new FakeService();
    hub =
        new HubRunner(
            Map.of(
                "hub.services.shipping.url", shipping.url("/shipments"),
                "hub.callbacks.payments.secret", "metrics-it-secret",
                "hub.metrics.refresh-ms", "300",
                "hub.retry.max-redeliveries", "2",
                "hub.retry.initial-delay-ms", "50",
                "hub.retry.max-delay-ms", "100"));
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
    shipping.close();
  }

  @Test
  void eachSeriesMovesByWhatHappened() throws Exception {
    // what earlier runs left on the topic is consumed first
    await()
        .atMost(WAIT)
        .until(
            () ->
                Scrape.of(hub).has("hub_consumer_lag", "service", "shipping")
                    && Scrape.of(hub).sum("hub_consumer_lag", "service", "shipping") == 0);
    Scrape before = Scrape.of(hub);
    String[] good = Events.orderCreated();
    String[] bad = Events.orderCreated();
    // three calls: the first and two retries, each 503, then the dead letter topic
    shipping.answerNext(bad[0], 3, 503);

    assertThat(post(good[1]).statusCode()).isEqualTo(202);
    assertThat(post(bad[1]).statusCode()).isEqualTo(202);
    await().atMost(WAIT).until(() -> shipping.acceptedFor(good[0]) == 1);
    await().atMost(WAIT).until(() -> hub.deadLetter("shipping", bad[0]) != null);
    // the good record delivered again, as after a consumer crash before its commit
    redeliver(good[0]);
    // a callback whose signature does not verify
    assertThat(
            Http.post(hub.url("/callbacks/payments"), "application/json", "{\"id\": \"x\"}")
                .statusCode())
        .isEqualTo(401);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Scrape after = Scrape.of(hub);
              assertThat(delta(before, after, "hub_events_duplicates_total", SHIPPING))
                  .as("duplicates %s", after.describe("hub_events_", "service", "shipping"))
                  .isEqualTo(1);
              assertThat(delta(before, after, "hub_events_processed_total", SHIPPING))
                  .as("processed %s", after.describe("hub_events_", "service", "shipping"))
                  .isEqualTo(1);
              assertThat(delta(before, after, "hub_events_duplicates_total", SAGA))
                  .as("saga %s", after.describe("hub_events_", "service", "order-saga"))
                  .isEqualTo(1);
            });
    Scrape after = Scrape.of(hub);
    assertThat(delta(before, after, "hub_events_processed_total", SHIPPING)).isEqualTo(1);
    assertThat(delta(before, after, "hub_events_retried_total", SHIPPING)).isEqualTo(2);
    assertThat(delta(before, after, "hub_events_failed_total", SHIPPING)).isEqualTo(1);
    assertThat(delta(before, after, "hub_events_dead_lettered_total", SHIPPING)).isEqualTo(1);
    assertThat(delta(before, after, "hub_events_duplicates_total", SHIPPING)).isEqualTo(1);
    // a service with an inbox of its own flags its duplicates too
    assertThat(delta(before, after, "hub_events_processed_total", SAGA)).isEqualTo(2);
    assertThat(delta(before, after, "hub_events_duplicates_total", SAGA)).isEqualTo(1);
    assertThat(delta(before, after, "hub_events_processing_seconds_count", "service", "shipping"))
        .isEqualTo(3);
    assertThat(after.has("hub_events_processing_seconds_bucket", "service", "shipping"))
        .as("a histogram with buckets")
        .isTrue();
    assertThat(
            delta(
                before,
                after,
                "hub_intake_requests_total",
                "type",
                "OrderCreated",
                "status",
                "202"))
        .isEqualTo(2);
    assertThat(
            delta(
                before,
                after,
                "hub_callbacks_verifications_total",
                "callback",
                "payments",
                "outcome",
                "unverified"))
        .isEqualTo(1);
    await()
        .atMost(WAIT)
        .until(
            () ->
                delta(before, Scrape.of(hub), "hub_dlq_pending", "service", "shipping") == 1
                    && Scrape.of(hub).sum("hub_consumer_lag", "service", "shipping") == 0);
    assertThat(
            after.has(
                "hub_consumer_lag",
                "service",
                "shipping",
                "group",
                "shipping",
                "topic",
                "orders.events"))
        .isTrue();
    assertThat(after.has("hub_aggregations_pending", "aggregation", "orders")).isTrue();
    assertThat(after.has("hub_aggregations_pending", "aggregation", "files")).isTrue();
    assertThat(
            after.has(
                "hub_transaction_reruns_total",
                "transaction",
                "reserve-stock",
                "reason",
                "serialization_failure",
                "sql_state",
                "40001"))
        .isTrue();
    assertThat(after.has("hub_callbacks_verifications_total", "callback", "files")).isTrue();
  }

  @Test
  void theOverviewNamesEachTypesServicesWithTheirCounters() throws Exception {
    HttpResponse<String> response = Http.get(hub.url("/api/metrics/overview"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode overview = JSON.readTree(response.body());
    JsonNode orderCreated = null;
    for (JsonNode type : overview.get("flow")) {
      if (type.get("type").asText().equals("OrderCreated")) {
        orderCreated = type;
      }
    }
    assertThat(orderCreated).isNotNull();
    assertThat(orderCreated.get("services").findValuesAsText("service"))
        .contains("shipping", "inventory", "order-saga");
    assertThat(orderCreated.get("services").get(0).has("deadLettered")).isTrue();
    assertThat(overview.get("pending").has("orders")).isTrue();
  }

  @Test
  void everyMetricTheGrafanaDashboardUsesIsInAScrape() throws Exception {
    JsonNode dashboard = JSON.readTree(Files.readString(Path.of("docs/grafana-dashboard.json")));
    Set<String> used = new TreeSet<>();
    for (JsonNode expr : dashboard.findValues("expr")) {
      used.addAll(metricNames(expr.asText()));
    }
    for (JsonNode definition : dashboard.findValues("definition")) {
      used.addAll(metricNames(definition.asText()));
    }
    // an intake answer, so that its series exists whatever ran before
    assertThat(post("{").statusCode()).isEqualTo(400);

    assertThat(used).as("the dashboard's queries name metrics").hasSizeGreaterThan(5);
    assertThat(Scrape.of(hub).names()).containsAll(used);
  }

  /**
   * The metric names of a PromQL expression: its identifiers once strings, label matchers, ranges
   * and by/without lists are gone, less functions (followed by a parenthesis) and keywords.
   */
  static Set<String> metricNames(String promql) {
    String bare =
        promql
            .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "")
            .replaceAll("\\{[^}]*}", "")
            .replaceAll("\\[[^\\]]*\\]", "")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
    Set<String> names = new TreeSet<>();
    Matcher token = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
    Set<String> keywords = Set.of("by", "without", "and", "or", "unless", "offset", "bool");
    while (token.find()) {
      String name = token.group();
      int end = token.end();
      boolean call = bare.substring(end).stripLeading().startsWith("(");
      if (!call && !keywords.contains(name) && !name.startsWith("$")) {
        names.add(name);
      }
    }
    names.removeIf(n -> n.equals("service") && promql.startsWith("label_values"));
    return names;
  }

  private static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }

  private static HttpResponse<String> post(String event) {
    return Http.post(hub.url("/api/events"), "application/cloudevents+json", event);
  }

  /** The event's record sent to orders.events again, key, value and headers as they were. */
  private static void redeliver(String eventId) throws Exception {
    List<ConsumerRecord<String, String>> records = KafkaProbe.readAll("orders.events");
    ConsumerRecord<String, String> record =
        records.stream()
            .filter(r -> eventId.equals(KafkaProbe.header(r, "ce_id")))
            .findFirst()
            .orElseThrow();
    Map<String, String> headers = new LinkedHashMap<>();
    record.headers().forEach(h -> headers.put(h.key(), new String(h.value())));
    KafkaProbe.send("orders.events", record.key(), record.value(), headers);
  }
}
