package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventhub.support.RouteTestConfiguration;
import io.eventhub.support.Stock;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/** routes/inbox-retention.camel.yaml: inbox rows past hub.inbox.retention go, batch by batch. */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    properties = {
      "camel.main.routes-include-pattern=file:routes/inbox-retention.camel.yaml",
      "hub.inbox.retention=9d",
      "hub.inbox.retention-check-ms=200",
      "hub.inbox.retention-batch=2"
    })
class InboxRetentionRouteTest {

  @Test
  void rowsOlderThanTheRetentionAreDeletedInBatchesNewerOnesKept() {
    String service = "retention-" + UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      Stock.update(
          "insert into inbox (service, source, event_id, processed_at)"
              + " values (?, '/test', ?, now() - interval '10 days')",
          service,
          "old-" + i);
    }
    Stock.update(
        "insert into inbox (service, source, event_id, processed_at)"
            + " values (?, '/test', 'recent', now() - interval '8 days')",
        service);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Stock.count(
                        "select count(*) from inbox where service = ? and event_id like 'old-%'",
                        service)
                    == 0);
    assertThat(
            Stock.count(
                "select count(*) from inbox where service = ? and event_id = 'recent'", service))
        .isEqualTo(1);
  }
}
