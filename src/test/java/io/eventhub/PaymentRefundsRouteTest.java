package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.RouteTestConfiguration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.apache.camel.BeanInject;
import org.apache.camel.EndpointInject;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** routes/payment-refunds.camel.yaml: refunds waiting in PostgreSQL, the payment service mocked. */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    mockEndpointsAndSkip = "http:.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/outside-services.camel.yaml,file:routes/payment-refunds.camel.yaml",
      "hub.services.payments.url=http://payments.test/refunds",
      "hub.refunds.relay-period-ms=100",
      "hub.refunds.initial-delay-ms=200",
      "hub.refunds.max-delay-ms=400",
      "hub.refunds.max-attempts=4"
    })
class PaymentRefundsRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @BeanInject("dataSource")
  DataSource dataSource;

  @EndpointInject("mock:http:payments.test/refunds")
  MockEndpoint payments;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(payments.getCamelContext());
  }

  @Test
  void aDecidedRefundIsPostedOnceWithItsIdempotencyKey() throws Exception {
    String paymentId = "pay-" + UUID.randomUUID();
    payments.expectedMessageCount(1);

    decideRefund(paymentId);

    payments.assertIsSatisfied();
    var request = payments.getExchanges().get(0).getMessage();
    assertThat(request.getHeader("Idempotency-Key"))
        .as("the hub's source and the refund's id")
        .isEqualTo("/hub/refunds refund-" + paymentId);
    assertThat(JSON.readTree(request.getBody(String.class)).at("/amount/value").asDouble())
        .isEqualTo(9.5);
    await().atMost(Duration.ofSeconds(10)).until(() -> sent(paymentId));
  }

  @Test
  void aRefundThePaymentServiceRefusedIsSentAgain() throws Exception {
    String paymentId = "pay-" + UUID.randomUUID();
    payments.whenExchangeReceived(
        1,
        exchange -> {
          throw new IllegalStateException("payments down");
        });
    payments.expectedMinimumMessageCount(2);

    decideRefund(paymentId);

    payments.assertIsSatisfied();
    await().atMost(Duration.ofSeconds(10)).until(() -> sent(paymentId));
  }

  @Test
  void aRefundAlwaysRefusedWaitsLongerEachTimeUpToTheCapThenIsGivenUp() throws Exception {
    String paymentId = "pay-" + UUID.randomUUID();
    List<Long> calledAt = new CopyOnWriteArrayList<>();
    payments.whenAnyExchangeReceived(
        exchange -> {
          if (exchange
              .getMessage()
              .getHeader("Idempotency-Key", String.class)
              .endsWith(paymentId)) {
            calledAt.add(System.nanoTime());
            throw new IllegalStateException("payments down");
          }
        });

    decideRefund(paymentId);

    await().atMost(Duration.ofSeconds(15)).until(() -> column(paymentId, "dead_at is not null"));
    assertThat(calledAt).as("hub.refunds.max-attempts").hasSize(4);
    List<Long> waits = new ArrayList<>();
    for (int i = 1; i < calledAt.size(); i++) {
      waits.add((calledAt.get(i) - calledAt.get(i - 1)) / 1_000_000);
    }
    // 200 ms, 400 ms, then capped at 400 ms (each plus up to one relay period)
    assertThat(waits.get(0)).isBetween(190L, 1000L);
    assertThat(waits.get(1)).isBetween(390L, 1200L);
    assertThat(waits.get(2)).isBetween(390L, 1200L);
    assertThat(column(paymentId, "attempts = 4 and sent_at is null and last_error like '%down%'"))
        .isTrue();
    // given up: the relay leaves it alone
    await()
        .during(Duration.ofMillis(800))
        .atMost(Duration.ofSeconds(2))
        .until(() -> calledAt.size() == 4);
  }

  private boolean column(String paymentId, String condition) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select count(*) from refunds where payment_id = ? and " + condition)) {
      ps.setString(1, paymentId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getInt(1) == 1;
      }
    }
  }

  private void decideRefund(String paymentId) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into refunds (payment_id, order_id, amount, reason)"
                    + " values (?, 'order-1', '{\"value\": 9.5, \"currency\": \"EUR\"}', 'TEST')")) {
      ps.setString(1, paymentId);
      ps.executeUpdate();
    }
  }

  private boolean sent(String paymentId) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select sent_at from refunds where payment_id = ?")) {
      ps.setString(1, paymentId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getTimestamp(1) != null;
      }
    }
  }
}
