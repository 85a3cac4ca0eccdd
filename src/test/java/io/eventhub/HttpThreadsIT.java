package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server runs routes on {@code hub.http.worker-threads} worker threads: that many requests
 * wait for their route at once (here more than Vert.x's default of 20), and the next ones queue
 * until a worker is free, then are answered too.
 */
class HttpThreadsIT {

  private static final int WORKERS = 28;
  private static final int CLIENTS = WORKERS + 4;

  @Test
  void asManyRequestsAreInFlightAsTheServerHasWorkerThreads() throws Exception {
    TestEngines.start();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger inFlight = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try (HubRunner hub =
        new HubRunner(
            Map.of(
                "camel.main.routes-include-pattern",
                "file:routes/delivery-conventions.camel.yaml",
                "hub.http.worker-threads",
                String.valueOf(WORKERS)))) {
      hub.context()
          .addRoutes(
              new RouteBuilder() {
                @Override
                public void configure() {
                  // a route that waits, as intake waits for PostgreSQL and the broker
                  from("platform-http:/test/held")
                      .routeId("test-held")
                      .process(
                          exchange -> {
                            inFlight.incrementAndGet();
                            try {
                              release.await(60, TimeUnit.SECONDS);
                            } finally {
                              inFlight.decrementAndGet();
                            }
                          })
                      .setBody(constant("done"));
                }
              });
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        answers.add(clients.submit(() -> Http.get(hub.url("/test/held"))));
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.get() == WORKERS);
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> inFlight.get() == WORKERS);
      release.countDown();

      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("done");
      }
    } finally {
      release.countDown();
      clients.shutdownNow();
    }
  }
}
