package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.delivery.TransientFailures;
import io.eventhub.support.RouteTestConfiguration;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/** routes/delivery-conventions.camel.yaml: the dead letter route and what counts as transient. */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    mockEndpointsAndSkip = "kafka:.*",
    properties = {"camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml"})
class DeliveryConventionsTest {

  @Produce("direct:dead-letter")
  ProducerTemplate deadLetter;

  @EndpointInject("mock:kafka:dead-letters")
  MockEndpoint analyticsDlq;

  @Test
  void aDeadLetterGoesToTheTopicOfItsOriginAndServiceWithTheReason() throws Exception {
    analyticsDlq.expectedMessageCount(1);
    analyticsDlq.expectedBodiesReceived("{\"userId\":\"u-1\"}");

    deadLetter.send(
        exchange -> {
          exchange.setProperty("hubService", "analytics");
          exchange.setProperty(TransientFailures.FAILURES, 4);
          exchange.setProperty(
              Exchange.EXCEPTION_CAUGHT, new IllegalArgumentException("version is missing"));
          exchange.getMessage().setBody("{\"userId\":\"u-1\"}");
          exchange
              .getMessage()
              .setHeaders(
                  new java.util.HashMap<>(
                      Map.of(
                          "ce_id",
                          "evt-9",
                          KafkaConstants.TOPIC,
                          "users.events",
                          KafkaConstants.PARTITION,
                          2,
                          KafkaConstants.OFFSET,
                          17L,
                          KafkaConstants.KEY,
                          "u-1")));
        });

    analyticsDlq.assertIsSatisfied();
    var dead = analyticsDlq.getExchanges().get(0).getMessage();
    assertThat(dead.getHeader("hub_dlq_reason")).isEqualTo("version is missing");
    assertThat(dead.getHeader("hub_dlq_exception")).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(dead.getHeader("hub_dlq_service")).isEqualTo("analytics");
    assertThat(dead.getHeader("hub_dlq_origin_topic")).isEqualTo("users.events");
    assertThat(dead.getHeader(KafkaConstants.OVERRIDE_TOPIC))
        .isEqualTo("users.events.analytics.dlq");
    assertThat(dead.getHeader("hub_dlq_origin_partition")).isEqualTo("2");
    assertThat(dead.getHeader("hub_dlq_origin_offset")).isEqualTo("17");
    assertThat(dead.getHeader("hub_dlq_attempts")).isEqualTo("4");
    assertThat(dead.getHeader("hub_dlq_failed_at", String.class))
        .matches("\\d{4}-\\d{2}-\\d{2}T.*");
    assertThat(dead.getHeader(KafkaConstants.KEY)).as("keeps the record key").isEqualTo("u-1");
  }

  @Test
  void transientFailuresAreTheOnesAnotherAttemptMayFix() {
    assertThat(TransientFailures.isTransient(http(503))).isTrue();
    assertThat(TransientFailures.isTransient(http(429))).isTrue();
    assertThat(TransientFailures.isTransient(http(408))).isTrue();
    assertThat(TransientFailures.isTransient(http(404))).isFalse();
    assertThat(TransientFailures.isTransient(http(422))).isFalse();
    assertThat(TransientFailures.isTransient(new SocketTimeoutException("read timed out")))
        .isTrue();
    assertThat(TransientFailures.isTransient(new IOException("connection refused"))).isTrue();
    assertThat(TransientFailures.isTransient(new SQLException("x", "40001"))).isTrue();
    assertThat(TransientFailures.isTransient(new SQLException("x", "40P01"))).isTrue();
    assertThat(TransientFailures.isTransient(new SQLException("x", "23505"))).isFalse();
    assertThat(TransientFailures.isTransient(new IllegalArgumentException("bad data"))).isFalse();
    assertThat(
            TransientFailures.isTransient(
                new com.fasterxml.jackson.core.JsonParseException(null, "not JSON")))
        .isFalse();
  }

  @Test
  void aTransientFailureWhileTheHubStopsIsCutByTheStopNotADeadLetter() throws Exception {
    TransientFailures failures = new TransientFailures();
    try (DefaultCamelContext stopping =
            new DefaultCamelContext() {
              @Override
              public boolean isStopping() {
                return true;
              }
            };
        DefaultCamelContext running = new DefaultCamelContext()) {
      assertThat(failures.cutByStop(failed(stopping, http(503)))).isTrue();
      assertThat(failures.cutByStop(failed(stopping, new IOException("refused")))).isTrue();
      // bad data stays a dead letter, stop or not
      assertThat(failures.cutByStop(failed(stopping, http(422)))).isFalse();
      assertThat(failures.cutByStop(failed(running, http(503)))).isFalse();
    }
  }

  private static Exchange failed(CamelContext context, Exception failure) {
    Exchange exchange = new DefaultExchange(context);
    exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
    return exchange;
  }

  private static HttpOperationFailedException http(int status) {
    return new HttpOperationFailedException(
        "http://x", status, "status " + status, null, Map.of(), "");
  }
}
