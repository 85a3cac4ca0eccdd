package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.inventory.StockOutcome;
import io.eventhub.inventory.StockRequest;
import io.eventhub.inventory.StockRequests;
import io.eventhub.support.HubRunner;
import io.eventhub.support.Stock;
import io.eventhub.support.TestEngines;
import io.eventhub.transactions.TransactionReruns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every isolation level with every locking strategy, on the real PostgreSQL: many concurrent orders
 * over a few hot SKUs that have stock for about half of them. Nothing is ever oversold, every order
 * is reserved in full or rejected, exactly once, and the transactions really ran at the level set.
 * Where conflicts are the mechanism (SERIALIZABLE, optimistic) they must really have happened and
 * been run again, so the test notices if the contention it relies on vanished. Then every reserved
 * order is cancelled twice, concurrently, and all stock comes back exactly once.
 */
class InventoryConcurrencyIT {

  private static final int CLIENTS = 16;
  private static final int ORDERS = 160;
  private static final int SKUS = 4;

  @BeforeAll
  static void database() {
    TestEngines.startPostgres();
  }

  static Stream<Arguments> combinations() {
    List<Arguments> all = new ArrayList<>();
    for (String isolation : List.of("READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE")) {
      for (String locking : List.of("pessimistic", "optimistic", "atomic")) {
        all.add(Arguments.of(isolation, locking));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} with {1} locking")
  @MethodSource("combinations")
  void neverOversellsAndDecidesEveryOrderOnce(String isolation, String locking) throws Exception {
    String run =
        isolation.substring(0, 2)
            + "-"
            + locking.substring(0, 3)
            + "-"
            + UUID.randomUUID().toString().substring(0, 6);
    Random random = new Random(42);
    List<String> skus = new ArrayList<>();
    for (int i = 0; i < SKUS; i++) {
      skus.add("HOT-" + run + "-" + i);
    }
    Map<String, Integer> demand = new TreeMap<>();
    List<String[]> orders = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      List<String> lines = new ArrayList<>();
      for (String sku : skus) {
        if (random.nextInt(SKUS) < 2) {
          int quantity = 1 + random.nextInt(2);
          demand.merge(sku, quantity, Integer::sum);
          lines.add("{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}");
        }
      }
      if (lines.isEmpty()) {
        String sku = skus.get(random.nextInt(SKUS));
        demand.merge(sku, 1, Integer::sum);
        lines.add("{\"sku\":\"" + sku + "\",\"quantity\":1}");
      }
      // lines in a random order: the routes sort them, so no two orders deadlock
      java.util.Collections.shuffle(lines, random);
      String orderId = "order-" + run + "-" + i;
      orders.add(
          new String[] {
            "evt-" + run + "-" + i,
            orderId,
            "{\"orderId\":\"" + orderId + "\",\"lines\":" + lines + "}"
          });
    }
    Map<String, Integer> initial = new HashMap<>();
    demand.forEach((sku, units) -> initial.put(sku, units / 2));

    try (HubRunner hub =
        new HubRunner(
            Map.of(
                "camel.main.routes-include-pattern",
                "file:routes/inventory-reserve-stock.camel.yaml,file:routes/inventory-take-stock.camel.yaml,file:routes/inventory-release-stock.camel.yaml",
                "camel.component.kafka.brokers",
                "127.0.0.1:1",
                "hub.kafka.create-topics",
                "false",
                "hub.inventory.isolation",
                isolation,
                "hub.inventory.locking",
                locking,
                "hub.inventory.retry.max-attempts",
                "60",
                "hub.db.pool-size",
                String.valueOf(CLIENTS + 2)))) {
      CamelContext camel = hub.context();
      initial.forEach(Stock::set);
      StockRequests requests =
          camel.getRegistry().lookupByNameAndType("stockRequests", StockRequests.class);
      TransactionReruns reruns =
          camel.getRegistry().lookupByNameAndType("reserveStockReruns", TransactionReruns.class);

      List<Exchange> answers =
          concurrently(
              camel,
              orders,
              (template, order) ->
                  template.send(
                      "direct:reserve-stock",
                      e -> {
                        StockRequest request = requests.fromOrderCreated(order[2], order[0]);
                        e.setProperty("eventId", order[0]);
                        e.setProperty("eventSource", "/test");
                        e.setProperty("stockRequest", request);
                      }));

      int reservedOrders = 0;
      Map<String, Integer> reservedUnits = new TreeMap<>();
      for (int i = 0; i < ORDERS; i++) {
        Exchange answer = answers.get(i);
        assertThat(answer.getException()).as("order %d", i).isNull();
        assertThat(answer.getProperty("transactionIsolation"))
            .as("the level the transaction ran at")
            .isEqualTo(isolation.replace('_', ' ').toLowerCase());
        StockOutcome outcome = answer.getProperty("stockOutcome", StockOutcome.class);
        String orderId = orders.get(i)[1];
        assertThat(Stock.status(orderId)).isEqualTo(outcome.status());
        Map<String, Integer> held = Stock.held(orderId);
        if (outcome.isReserved()) {
          reservedOrders++;
          StockRequest request = requests.fromOrderCreated(orders.get(i)[2], orders.get(i)[0]);
          Map<String, Integer> wanted = new TreeMap<>();
          request.lines().forEach(l -> wanted.put(l.sku(), l.quantity()));
          assertThat(held).as("a reserved order holds every line in full").isEqualTo(wanted);
          held.forEach((sku, units) -> reservedUnits.merge(sku, units, Integer::sum));
        } else {
          assertThat(outcome.reason()).isEqualTo("OUT_OF_STOCK");
          assertThat(held).as("a rejected order holds nothing").isEmpty();
        }
      }
      assertThat(reservedOrders).as("stock for about half: some reserved").isPositive();
      assertThat(reservedOrders).as("stock for about half: some rejected").isLessThan(ORDERS);
      for (String sku : skus) {
        Stock.Level level = Stock.level(sku);
        int units = reservedUnits.getOrDefault(sku, 0);
        assertThat(level.available()).as("never below zero").isGreaterThanOrEqualTo(0);
        assertThat(level.reserved()).as("reserved = what the orders hold").isEqualTo(units);
        assertThat(level.available() + level.reserved())
            .as("available + reserved = initial stock of " + sku)
            .isEqualTo(initial.get(sku));
      }
      assertThat(
              Stock.count(
                  "select count(*) from inbox where service = 'inventory' and event_id like ?",
                  "evt-" + run + "-%"))
          .isEqualTo(ORDERS);
      if (isolation.equals("SERIALIZABLE") || locking.equals("optimistic")) {
        assertThat(reruns.reruns())
            .as("conflicts happened and their transactions ran again")
            .isPositive();
      }
      assertThat(reruns.exhausted()).isZero();

      // every reserved order cancelled twice at once (a redelivery racing the original)
      List<String[]> cancellations = new ArrayList<>();
      for (String[] order : orders) {
        if ("RESERVED".equals(Stock.status(order[1]))) {
          cancellations.add(new String[] {"cancel-" + order[0], order[1]});
          cancellations.add(new String[] {"cancel-" + order[0], order[1]});
        }
      }
      List<Exchange> released =
          concurrently(
              camel,
              cancellations,
              (template, cancel) ->
                  template.send(
                      "direct:release-stock",
                      e -> {
                        e.setProperty("eventId", cancel[0]);
                        e.setProperty("eventSource", "/hub/order-saga");
                        e.setProperty("orderId", cancel[1]);
                      }));
      long releasedOnce = 0;
      for (Exchange answer : released) {
        assertThat(answer.getException()).isNull();
        releasedOnce += answer.getProperty("stockReleased", Boolean.class) ? 1 : 0;
      }
      assertThat(releasedOnce).isEqualTo(reservedOrders);
      for (String sku : skus) {
        assertThat(Stock.level(sku)).isEqualTo(new Stock.Level(initial.get(sku), 0));
      }
    }
  }

  interface Call {
    Exchange send(ProducerTemplate template, String[] item) throws Exception;
  }

  /** Sends every item from {@link #CLIENTS} threads that start together; answers in item order. */
  private static List<Exchange> concurrently(CamelContext camel, List<String[]> items, Call call)
      throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      ProducerTemplate template = camel.createProducerTemplate();
      List<Future<Exchange>> futures = new ArrayList<>();
      for (String[] item : items) {
        Callable<Exchange> task =
            () -> {
              start.await();
              return call.send(template, item);
            };
        futures.add(clients.submit(task));
      }
      start.countDown();
      List<Exchange> answers = new ArrayList<>();
      for (Future<Exchange> future : futures) {
        answers.add(future.get(120, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      clients.shutdownNow();
    }
  }
}
