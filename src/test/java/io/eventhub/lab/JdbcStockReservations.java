package io.eventhub.lab;

import static io.eventhub.persistence.SqlFiles.sql;

import io.eventhub.inventory.StockCheck;
import io.eventhub.inventory.StockDecisions;
import io.eventhub.inventory.StockOutcome;
import io.eventhub.inventory.StockParameters;
import io.eventhub.inventory.StockRequest;
import io.eventhub.transactions.TransactionConflictsExhausted;
import io.eventhub.transactions.TransactionPolicies;
import io.eventhub.transactions.TransactionReruns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The baseline without Camel: only a statement runner. It runs the SQL files of
 * routes/inventory-reserve-stock.camel.yaml and routes/inventory-take-stock.camel.yaml in the same
 * order, with the same parameters ({@link StockParameters}), asks the same bean what follows each
 * one ({@link StockDecisions}), at the same isolation level, and reruns conflicts with the same
 * {@link TransactionReruns}. Every branch of the route is here: decided before, cancelled before,
 * invalid, and the three locking strategies. The lab runs both side by side, so the difference is
 * what Camel costs.
 */
public final class JdbcStockReservations {

  /** The lab's table-lock strategy ({@code LOCK TABLE inventory IN SHARE ROW EXCLUSIVE MODE}). */
  static final String TABLE = "table";

  private final DataSource dataSource;
  private final NamedParameterJdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final String locking;
  private final StockDecisions decisions;
  private final StockParameters parameters;
  final TransactionReruns reruns = new TransactionReruns();

  public JdbcStockReservations(
      DataSource dataSource,
      String isolation,
      String locking,
      StockDecisions decisions,
      StockParameters parameters,
      Map<String, String> settings) {
    this.dataSource = dataSource;
    this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    transaction.setIsolationLevelName(TransactionPolicies.PREFIX + isolation);
    this.locking = locking;
    this.decisions = decisions;
    this.parameters = parameters;
    reruns.setName("reserve-stock-jdbc");
    reruns.setMaxAttempts(Integer.parseInt(settings.get("hub.inventory.retry.max-attempts")));
    reruns.setBackoff(
        Long.parseLong(settings.get("hub.inventory.retry.initial-delay-ms")),
        Long.parseLong(settings.get("hub.inventory.retry.max-delay-ms")));
  }

  /** The hub's own settings of these keys, as its properties resolve them. */
  public static Map<String, String> settings(CamelContext camel, List<String> keys) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String key : keys) {
      settings.put(key, camel.getPropertiesComponent().resolveProperty(key).orElseThrow());
    }
    return settings;
  }

  /** A runner on a running hub's pool, with its decisions and parameters beans. */
  public static JdbcStockReservations on(
      CamelContext camel, String isolation, String locking, Map<String, String> settings) {
    return new JdbcStockReservations(
        camel.getRegistry().lookupByNameAndType("dataSource", DataSource.class),
        isolation,
        locking,
        camel.getRegistry().lookupByNameAndType("stockDecisions", StockDecisions.class),
        camel.getRegistry().lookupByNameAndType("stockParameters", StockParameters.class),
        settings);
  }

  /** Reserves the order's stock, running the transaction again on conflicts; null if it gave up. */
  public StockOutcome reserve(StockRequest request) throws Exception {
    try {
      return reruns.run(request.eventId(), () -> transaction.execute(s -> run(request)));
    } catch (TransactionConflictsExhausted e) {
      return null;
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** The reruns of this runner (counted by reason). */
  public TransactionReruns reruns() {
    return reruns;
  }

  /** reserve-stock-transaction, statement by statement. */
  private StockOutcome run(StockRequest request) {
    Map<String, Object> p = parameters.reserve(request, "/lab");
    jdbc.queryForList(sql("inventory/begin"), p);
    jdbc.update(sql("inbox/claim"), p);
    StockOutcome outcome =
        decisions.beforeStock(request, jdbc.queryForList(sql("inventory/find-order"), p));
    if (outcome == null) {
      StockCheck check =
          switch (locking) {
            case "pessimistic" -> pessimistic(request, p);
            case "optimistic" -> optimistic(request, p);
            case TABLE -> table(request, p);
            default -> atomic(request, p);
          };
      outcome = decisions.afterStock(request, check);
    }
    if (!outcome.stored()) {
      Map<String, Object> record = parameters.record(request, outcome);
      decisions.recorded(jdbc.update(sql("inventory/record-decision"), record), outcome);
      if (outcome.isReserved()) {
        jdbc.update(sql("inventory/record-reservations"), record);
      }
    }
    return outcome;
  }

  private StockCheck pessimistic(StockRequest request, Map<String, Object> p) {
    StockCheck check = decisions.check(request, jdbc.queryForList(sql("inventory/lock-stock"), p));
    if (check.isReserve()) {
      jdbc.update(sql("inventory/take-stock"), p);
    }
    return check;
  }

  /**
   * The lab's contrast to row locks (not a hub strategy): the whole table locked first (SHARE ROW
   * EXCLUSIVE), then the rows read without row locks and taken.
   */
  private StockCheck table(StockRequest request, Map<String, Object> p) {
    jdbc.getJdbcTemplate().execute(sql("lab/lock-stock-table"));
    StockCheck check = decisions.check(request, jdbc.queryForList(sql("inventory/read-stock"), p));
    if (check.isReserve()) {
      jdbc.update(sql("inventory/take-stock"), p);
    }
    return check;
  }

  private StockCheck optimistic(StockRequest request, Map<String, Object> p) {
    StockCheck check = decisions.check(request, jdbc.queryForList(sql("inventory/read-stock"), p));
    for (Map<String, Object> line : parameters.perLine(request, check.lines())) {
      decisions.versionMatched(jdbc.update(sql("inventory/take-stock-at-version"), line), line);
    }
    return check;
  }

  private StockCheck atomic(StockRequest request, Map<String, Object> p) {
    jdbc.update(sql("inventory/savepoint"), p);
    List<Object> taken = new ArrayList<>();
    for (Map<String, Object> line : parameters.perLine(request, request.lines())) {
      taken.add(jdbc.update(sql("inventory/take-stock-if-available"), line));
    }
    StockCheck check = decisions.afterConditionalUpdates(request, taken);
    if (!check.isReserve()) {
      jdbc.update(sql("inventory/rollback-to-savepoint"), p);
      check = decisions.whyNotTaken(request, jdbc.queryForList(sql("inventory/read-stock"), p));
    }
    return check;
  }
}
