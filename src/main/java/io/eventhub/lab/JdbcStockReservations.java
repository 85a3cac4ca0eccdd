package io.eventhub.lab;

import io.eventhub.inventory.StockCheck;
import io.eventhub.inventory.StockDecisions;
import io.eventhub.inventory.StockOutcome;
import io.eventhub.inventory.StockOutcomes;
import io.eventhub.inventory.StockRequest;
import io.eventhub.transactions.OptimisticConflict;
import io.eventhub.transactions.TransactionConflicts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * The baseline without Camel: the stock reservation of routes/inventory-transactions.camel.yaml as
 * a plain JDBC loop, with the same SQL files, the same decisions, the same isolation level and
 * locking strategy, and the same reruns (attempts, backoff and jitter). The lab runs both side by
 * side, so the difference is what Camel costs.
 */
final class JdbcStockReservations {

  private static final Map<String, Integer> LEVELS =
      Map.of(
          "READ_COMMITTED", Connection.TRANSACTION_READ_COMMITTED,
          "REPEATABLE_READ", Connection.TRANSACTION_REPEATABLE_READ,
          "SERIALIZABLE", Connection.TRANSACTION_SERIALIZABLE);

  private final DataSource dataSource;
  private final int isolation;
  private final String locking;
  private final int maxAttempts;
  private final long initialDelayMs;
  private final long maxDelayMs;
  private final String lockTimeout;
  private final String statementTimeout;
  private final StockDecisions decisions = new StockDecisions();
  private final StockOutcomes outcomes;
  private final Map<String, SqlFile> sql = new HashMap<>();
  final LongAdder reruns = new LongAdder();
  final LongAdder exhausted = new LongAdder();

  JdbcStockReservations(
      DataSource dataSource,
      String isolation,
      String locking,
      StockOutcomes outcomes,
      Map<String, String> settings) {
    this.dataSource = dataSource;
    this.isolation = LEVELS.get(isolation);
    this.locking = locking;
    this.outcomes = outcomes;
    this.maxAttempts = Integer.parseInt(settings.get("hub.inventory.retry.max-attempts"));
    this.initialDelayMs = Long.parseLong(settings.get("hub.inventory.retry.initial-delay-ms"));
    this.maxDelayMs = Long.parseLong(settings.get("hub.inventory.retry.max-delay-ms"));
    this.lockTimeout = settings.get("hub.inventory.lock-timeout-ms");
    this.statementTimeout = settings.get("hub.inventory.statement-timeout-ms");
    for (String name :
        List.of(
            "begin",
            "claim-inbox",
            "find-order",
            "lock-stock",
            "read-stock",
            "take-stock",
            "take-stock-at-version",
            "take-stock-if-available",
            "record-decision",
            "record-reservations")) {
      sql.put(name, SqlFile.load(name));
    }
  }

  /** Reserves the order's stock, running the transaction again on conflicts; null if it gave up. */
  StockOutcome reserve(StockRequest request) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return inTransaction(request);
      } catch (SQLException | OptimisticConflict e) {
        if (TransactionConflicts.reasonOf(e) == null) {
          throw e;
        }
        if (attempt >= maxAttempts) {
          exhausted.increment();
          return null;
        }
        reruns.increment();
        long ceiling = Math.min(maxDelayMs, initialDelayMs << Math.min(attempt - 1, 20));
        long half = ceiling / 2;
        Thread.sleep(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
      }
    }
  }

  private StockOutcome inTransaction(StockRequest request) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(isolation);
      try {
        StockOutcome outcome = run(c, request);
        c.commit();
        return outcome;
      } catch (Exception e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  private StockOutcome run(Connection c, StockRequest request) throws Exception {
    Map<String, Object> p = new HashMap<>();
    p.put("orderId", request.orderId());
    p.put("eventId", request.eventId());
    p.put("skus", request.getSkus());
    p.put("quantities", request.getQuantities());
    p.put("lockTimeout", lockTimeout);
    p.put("statementTimeout", statementTimeout);
    query(c, "begin", p);
    update(c, "claim-inbox", p);
    List<Map<String, Object>> decided = query(c, "find-order", p);
    if (!decided.isEmpty()) {
      return outcomes.stored(decided.get(0));
    }
    StockCheck check =
        switch (locking) {
          case "pessimistic" -> pessimistic(c, request, p);
          case "optimistic" -> optimistic(c, request, p);
          default -> atomic(c, request, p);
        };
    StockOutcome outcome = outcomes.decided(request, check);
    p.put("status", outcome.status());
    p.put("reason", outcome.reason());
    p.put("resultEventId", outcome.eventId());
    p.put("resultType", outcome.type());
    p.put("resultTime", outcome.time());
    p.put("resultData", outcome.data());
    if (update(c, "record-decision", p) == 0) {
      throw new OptimisticConflict("order " + request.orderId() + " decided meanwhile");
    }
    if (outcome.isReserved()) {
      update(c, "record-reservations", p);
    }
    return outcome;
  }

  private StockCheck pessimistic(Connection c, StockRequest request, Map<String, Object> p)
      throws SQLException {
    StockCheck check = decisions.check(request, query(c, "lock-stock", p));
    if (check.isReserve()) {
      update(c, "take-stock", p);
    }
    return check;
  }

  private StockCheck optimistic(Connection c, StockRequest request, Map<String, Object> p)
      throws SQLException {
    StockCheck check = decisions.check(request, query(c, "read-stock", p));
    if (check.isReserve()) {
      for (StockCheck.Line line : check.lines()) {
        p.put("sku", line.sku());
        p.put("quantity", line.quantity());
        p.put("version", line.version());
        if (update(c, "take-stock-at-version", p) == 0) {
          throw new OptimisticConflict("SKU " + line.sku() + " changed since " + line.version());
        }
      }
    }
    return check;
  }

  private StockCheck atomic(Connection c, StockRequest request, Map<String, Object> p)
      throws SQLException {
    try (PreparedStatement savepoint = c.prepareStatement("savepoint take_stock")) {
      savepoint.execute();
    }
    List<Object> taken = new ArrayList<>();
    for (StockRequest.Line line : request.lines()) {
      p.put("sku", line.sku());
      p.put("quantity", line.quantity());
      taken.add(update(c, "take-stock-if-available", p));
    }
    StockCheck check = decisions.afterConditionalUpdates(request, taken);
    if (!check.isReserve()) {
      try (PreparedStatement rollback = c.prepareStatement("rollback to savepoint take_stock")) {
        rollback.execute();
      }
      check = decisions.whyNotTaken(request, query(c, "read-stock", p));
    }
    return check;
  }

  private List<Map<String, Object>> query(Connection c, String name, Map<String, Object> p)
      throws SQLException {
    try (PreparedStatement ps = sql.get(name).prepare(c, p);
        ResultSet rs = ps.executeQuery()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns; i++) {
          row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  private int update(Connection c, String name, Map<String, Object> p) throws SQLException {
    try (PreparedStatement ps = sql.get(name).prepare(c, p)) {
      return ps.executeUpdate();
    }
  }
}
