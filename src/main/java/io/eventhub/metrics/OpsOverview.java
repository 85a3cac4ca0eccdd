package io.eventhub.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;

/**
 * {@code GET /api/metrics/overview}, what the dashboard page ({@code /}) polls: for each event type
 * the services that consume it, each with its counters (processed, failed, retried, dead-lettered,
 * duplicates), consumer lag and dead letters not replayed; the pending aggregations; intake
 * answers. Totals since the hub started: the page turns them into rates between two polls.
 */
public class OpsOverview {

  private final CamelContext context;
  private final MeterRegistry registry;
  private final BacklogGauges backlog;
  private volatile List<ConsumerRoutes.Consumer> consumers;

  OpsOverview(CamelContext context, MeterRegistry registry, BacklogGauges backlog) {
    this.context = context;
    this.registry = registry;
    this.backlog = backlog;
  }

  void consumers(List<ConsumerRoutes.Consumer> consumers) {
    this.consumers = consumers;
  }

  public Map<String, Object> overview() {
    List<ConsumerRoutes.Consumer> routes = consumers;
    if (routes == null) {
      routes = ConsumerRoutes.of(context);
    }
    Map<String, BacklogGauges.Snapshot> backlogs = backlog.snapshot();
    Map<String, List<Map<String, Object>>> byType = new TreeMap<>();
    Map<String, Map<String, Object>> services = new TreeMap<>();
    java.util.Set<String> shown = new java.util.HashSet<>();
    for (ConsumerRoutes.Consumer consumer : routes) {
      BacklogGauges.Snapshot figures =
          backlogs.getOrDefault(consumer.service(), new BacklogGauges.Snapshot(0, 0));
      Map<String, Object> total =
          services.computeIfAbsent(
              consumer.service(),
              s -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("service", s);
                row.put("group", consumer.group());
                row.put("topics", consumer.topics());
                row.putAll(counts(s, null));
                row.put("lag", figures.lag());
                row.put("dlqPending", figures.dlqPending());
                Timer timer = registry.find(HubMeters.PROCESSING).tag("service", s).timer();
                row.put(
                    "meanMs",
                    timer == null || timer.count() == 0 ? 0 : timer.mean(TimeUnit.MILLISECONDS));
                return row;
              });
      for (String type : consumer.types()) {
        if (!shown.add(type + "|" + consumer.service())) {
          // a service with two routes on one type: its counters are the service's, shown once
          continue;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("service", consumer.service());
        row.putAll(counts(consumer.service(), type));
        row.put("lag", total.get("lag"));
        row.put("dlqPending", total.get("dlqPending"));
        byType.computeIfAbsent(type, t -> new ArrayList<>()).add(row);
      }
    }
    List<Map<String, Object>> flow = new ArrayList<>();
    byType.forEach((type, rows) -> flow.add(Map.of("type", type, "services", rows)));
    Map<String, Object> intake = new TreeMap<>();
    for (Counter counter : registry.find(HubMeters.INTAKE).counters()) {
      intake.merge(
          counter.getId().getTag("status"), (long) counter.count(), (a, b) -> (long) a + (long) b);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("at", Instant.now().toString());
    answer.put("flow", flow);
    answer.put("services", new ArrayList<>(services.values()));
    answer.put(
        "pending", Map.of("orders", backlog.pending("orders"), "files", backlog.pending("files")));
    answer.put("intake", intake);
    return answer;
  }

  private Map<String, Object> counts(String service, String type) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("processed", sum(HubMeters.PROCESSED, service, type));
    row.put("failed", sum(HubMeters.FAILED, service, type));
    row.put("retried", sum(HubMeters.RETRIED, service, type));
    row.put("deadLettered", sum(HubMeters.DEAD_LETTERED, service, type));
    row.put("duplicates", sum(HubMeters.DUPLICATES, service, type));
    return row;
  }

  private long sum(String name, String service, String type) {
    Search search = registry.find(name).tag("service", service);
    if (type != null) {
      search = search.tag("type", type);
    }
    return (long) search.counters().stream().mapToDouble(Counter::count).sum();
  }
}
