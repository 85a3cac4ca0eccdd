package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.faults.FaultSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The fault suite's quick plan (io.eventhub.faults.FaultSuite): broker, PostgreSQL and two hubs as
 * processes of their own, orders with payments at a steady rate, one hub killed with SIGKILL, the
 * broker restarted, PostgreSQL stopped; then every acknowledged order decided, one reservation
 * each, shipping once per order, stock conserved and no dead letter.
 */
class FaultSuiteIT {

  @Test
  void nothingAcknowledgedIsLostOrDoubledThroughAKillABrokerRestartAndADatabaseOutage()
      throws Exception {
    Path work = Files.createTempDirectory("hub-fault-suite-it");
    FaultSuite.Report report;
    try (FaultSuite suite = new FaultSuite(FaultSuite.Plan.quick(), work)) {
      report = suite.run();
    }
    LoggerFactory.getLogger(FaultSuiteIT.class).info("Fault suite report: {}", report);
    assertThat(report.acknowledged()).isPositive();
    assertThat(report.failures()).as("logs of the processes in " + work).isEmpty();
    assertThat(report.decided()).isEqualTo(report.acknowledged());
    assertThat(report.stuck()).isEmpty();
    assertThat(report.ordersWithoutOneDecision()).isZero();
    assertThat(report.shippingOrders()).isEqualTo(report.acknowledged());
    assertThat(report.stockConserved()).isTrue();
    assertThat(report.deadLetters().values()).allMatch(java.util.List::isEmpty);
  }
}
