package io.eventhub.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The inventory tables of the test PostgreSQL, read and set directly, as a person would check. */
public final class Stock {

  /** A SKU's row. */
  public record Level(int available, int reserved) {}

  private Stock() {}

  public static void set(String sku, int available) {
    update(
        "insert into inventory (sku, available) values (?, ?) on conflict (sku) do update"
            + " set available = excluded.available, reserved = 0",
        sku,
        available);
  }

  public static Level level(String sku) {
    List<Map<String, Object>> rows =
        query("select available, reserved from inventory where sku = ?", sku);
    if (rows.isEmpty()) {
      return null;
    }
    return new Level(
        ((Number) rows.get(0).get("available")).intValue(),
        ((Number) rows.get(0).get("reserved")).intValue());
  }

  /** The order's status in inventory_orders, or null. */
  public static String status(String orderId) {
    List<Map<String, Object>> rows =
        query("select status from inventory_orders where order_id = ?", orderId);
    return rows.isEmpty() ? null : (String) rows.get(0).get("status");
  }

  /** Units the order holds now (reservations not released), by SKU. */
  public static Map<String, Integer> held(String orderId) {
    Map<String, Integer> held = new LinkedHashMap<>();
    for (Map<String, Object> row :
        query(
            "select sku, quantity from reservations where order_id = ? and released_at is null"
                + " order by sku",
            orderId)) {
      held.put((String) row.get("sku"), ((Number) row.get("quantity")).intValue());
    }
    return held;
  }

  public static List<Map<String, Object>> query(String sql, Object... parameters) {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static long count(String sql, Object... parameters) {
    return ((Number) query(sql, parameters).get(0).values().iterator().next()).longValue();
  }

  public static int update(String sql, Object... parameters) {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(TestEngines.jdbcUrl(), "postgres", "");
  }
}
