package io.eventhub.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.support.TestEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The concurrency lab's findings held by tests: the lab's own schedules (no copy of them here) run
 * on the real PostgreSQL and must come out as PostgreSQL documents them ("Transaction Isolation",
 * "Explicit Locking"). A change to the SQL or to the schedules that makes the lab say something
 * false fails the build. The benchmark numbers are not asserted.
 */
class LabFindingsTest {

  private static final int RUNS = 10;

  /** PostgreSQL's documented matrix: whether each anomaly shows at RU, RC, RR, SERIALIZABLE. */
  private static final Map<String, List<Boolean>> DOCUMENTED =
      Map.of(
          "dirty read", List.of(false, false, false, false),
          "non-repeatable read", List.of(true, true, false, false),
          "phantom read", List.of(true, true, false, false),
          "lost update (read-modify-write)", List.of(true, true, false, false),
          "write skew", List.of(true, true, true, false));

  private static DriverManagerDataSource dataSource;

  @BeforeAll
  static void database() {
    dataSource = new DriverManagerDataSource(TestEngines.jdbcUrl(), "postgres", "");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  @Test
  void everyCellOfTheAnomalyMatrixIsWhatPostgresqlDocuments() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (int run = 1; run <= RUNS; run++) {
      Map<String, List<Anomalies.Outcome>> matrix = new Anomalies(dataSource).run();
      assertThat(matrix.keySet()).containsExactlyElementsOf(Anomalies.NAMES);
      for (String anomaly : Anomalies.NAMES) {
        for (int level = 0; level < Anomalies.LEVELS.size(); level++) {
          Anomalies.Outcome outcome = matrix.get(anomaly).get(level);
          if (outcome.observed() != DOCUMENTED.get(anomaly).get(level)) {
            wrong.add(
                "run "
                    + run
                    + ": "
                    + anomaly
                    + " at "
                    + Anomalies.LEVELS.get(level)
                    + ": "
                    + outcome);
          }
        }
      }
      // prevented how PostgreSQL says: the first updater wins, the other fails with 40001
      assertThat(matrix.get("lost update (read-modify-write)").get(2).how()).contains("40001");
      assertThat(matrix.get("lost update (read-modify-write)").get(3).how()).contains("40001");
      assertThat(matrix.get("write skew").get(3).how()).contains("40001");
      assertThat(matrix.get("dirty read").get(0).how()).contains("committed 100");
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void readUncommittedIsReportedAsAskedButReadsCommittedRows() throws Exception {
    assertThat(new Anomalies(dataSource).reportedReadUncommitted()).isEqualTo("read uncommitted");
  }

  @Test
  void oppositeLockOrderDeadlocksAndTheSameOrderDoesNot() throws Exception {
    Deadlocks.Result[] results = new Deadlocks(dataSource).run();
    assertThat(results[0].outcome()).startsWith("deadlock detected").contains("40P01");
    assertThat(results[1].outcome()).startsWith("no deadlock").doesNotContain("40P01");
  }

  @Test
  void sharedLocksAndTheUpgradeDeadlock() throws Exception {
    SharedLocks shared = new SharedLocks(dataSource);
    try {
      SharedLocks.Result readers = shared.readersTogether();
      assertThat(readers.waited()).as(readers.outcome()).isFalse();
      SharedLocks.Result writer = shared.writerAgainstReaders();
      assertThat(writer.waited()).as(writer.outcome()).isTrue();
      assertThat(writer.failure()).isNull();
      SharedLocks.Result foreignKey = shared.keyShareAgainstNoKeyUpdate();
      assertThat(foreignKey.waited()).as(foreignKey.outcome()).isFalse();
      assertThat(foreignKey.failure()).isNull();
      SharedLocks.Result forUpdate = shared.keyShareAgainstUpdate();
      assertThat(forUpdate.waited()).as(forUpdate.outcome()).isTrue();
      SharedLocks.Result upgrade = shared.upgrade(false);
      assertThat(upgrade.failure()).as(upgrade.outcome()).isEqualTo("40P01");
      SharedLocks.Result hubOrder = shared.upgrade(true);
      assertThat(hubOrder.failure()).as(hubOrder.outcome()).isNull();
      assertThat(hubOrder.waited()).as("the second waits at its FOR UPDATE").isTrue();
    } finally {
      shared.drop();
    }
  }

  @Test
  void aTableLockBlocksEveryWriterAndRowLocksOnlyTheSameSku() throws Exception {
    Map<String, Boolean> waited = new java.util.LinkedHashMap<>();
    for (Granularity.Probe p : new Granularity(dataSource, List.of(), 0).blocking()) {
      waited.put(p.mode() + ": " + p.probe(), p.waited());
    }
    assertThat(waited)
        .containsExactly(
            Map.entry("table: reserve another SKU (UPDATE of B)", true),
            Map.entry("table: reserve the same SKU (UPDATE of A)", true),
            Map.entry("table: lock another SKU's row (SELECT ... FOR UPDATE of B)", false),
            Map.entry("table: read the same SKU (plain SELECT of A)", false),
            Map.entry("row: reserve another SKU (UPDATE of B)", false),
            Map.entry("row: reserve the same SKU (UPDATE of A)", true),
            Map.entry("row: lock another SKU's row (SELECT ... FOR UPDATE of B)", false),
            Map.entry("row: read the same SKU (plain SELECT of A)", false));
  }
}
