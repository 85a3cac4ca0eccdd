package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.delivery.TransientFailures;
import io.eventhub.transactions.OptimisticConflict;
import io.eventhub.transactions.TransactionConflictsExhausted;
import io.eventhub.transactions.TransactionReruns;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TransactionReruns: which failures make a transaction run again, how often, and what is left. */
class TransactionRerunsTest {

  private final AtomicInteger runs = new AtomicInteger();
  private volatile Exception failure;
  private volatile int failFirst;
  private CamelContext camel;
  private TransactionReruns reruns;

  @BeforeEach
  void start() throws Exception {
    camel = new DefaultCamelContext();
    camel.addRoutes(
        new RouteBuilder() {
          @Override
          public void configure() {
            from("direct:transaction")
                .process(
                    e -> {
                      e.setProperty("run", runs.incrementAndGet());
                      e.getMessage().setBody("changed by run " + runs.get());
                      if (runs.get() <= failFirst) {
                        throw failure;
                      }
                    });
          }
        });
    camel.start();
    reruns = new TransactionReruns();
    reruns.setCamelContext(camel);
    reruns.setEndpointUri("direct:transaction");
    reruns.setName("test");
    reruns.setMaxAttempts(4);
    reruns.setBackoff(1, 4);
  }

  @AfterEach
  void stop() {
    camel.stop();
  }

  @Test
  void conflictsRunTheTransactionAgainOnAFreshCopy() throws Exception {
    failFirst = 2;
    failure = new SQLException("could not serialize access", "40001");

    Exchange exchange = run("original");

    assertThat(runs.get()).isEqualTo(3);
    assertThat(exchange.getProperty("run")).isEqualTo(3);
    assertThat(exchange.getMessage().getBody()).isEqualTo("changed by run 3");
    assertThat(reruns.reruns("serialization_failure")).isEqualTo(2);
  }

  @Test
  void deadlocksLockTimeoutsAndOptimisticConflictsAreConflictsToo() throws Exception {
    for (Exception conflict :
        new Exception[] {
          new SQLException("deadlock detected", "40P01"),
          new SQLException("lock timeout", "55P03"),
          new RuntimeCamelException(new OptimisticConflict("SKU A changed since version 3"))
        }) {
      runs.set(0);
      failFirst = 1;
      failure = conflict;
      run("original");
      assertThat(runs.get()).as(conflict.toString()).isEqualTo(2);
    }
    assertThat(reruns.reruns("deadlock")).isEqualTo(1);
    assertThat(reruns.reruns("lock_timeout")).isEqualTo(1);
    assertThat(reruns.reruns("optimistic_conflict")).isEqualTo(1);
  }

  @Test
  void anyOtherFailureGoesBackUntouchedAfterOneRun() {
    failFirst = 10;
    failure = new SQLException("duplicate key", "23505");

    Exception thrown = runExpectingFailure();

    assertThat(runs.get()).isEqualTo(1);
    assertThat(thrown).isSameAs(failure);
    assertThat(reruns.reruns()).isZero();
  }

  @Test
  void conflictsLeftAfterTheLastRunEndTheDeliveryWithTheReason() {
    failFirst = 100;
    failure = new SQLException("could not serialize access", "40001");

    Exception thrown = runExpectingFailure();

    assertThat(runs.get()).isEqualTo(4);
    assertThat(thrown)
        .isInstanceOf(TransactionConflictsExhausted.class)
        .hasMessageContaining("4 runs")
        .hasMessageContaining("serialization_failure=4");
    assertThat(TransientFailures.isTransient(thrown))
        .as("the delivery retries must not multiply the runs")
        .isFalse();
    assertThat(reruns.exhausted()).isEqualTo(1);
  }

  private Exchange run(String body) throws Exception {
    Exchange exchange = camel.getEndpoint("direct:caller").createExchange();
    exchange.getMessage().setBody(body);
    reruns.process(exchange);
    return exchange;
  }

  private Exception runExpectingFailure() {
    try {
      run("original");
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }
}
