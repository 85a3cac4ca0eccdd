package io.eventhub.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the SQL files the stock routes run (src/main/resources/sql/inventory), made runnable on
 * plain JDBC: its {@code :?name} parameters become {@code ?} and are bound by name, as camel-jdbc
 * does with {@code useHeadersAsParameters}.
 */
final class SqlFile {

  private static final Pattern PARAMETER = Pattern.compile(":\\?(\\w+)");

  final String sql;
  final List<String> names = new ArrayList<>();

  private SqlFile(String text) {
    Matcher m = PARAMETER.matcher(text);
    StringBuilder jdbc = new StringBuilder();
    while (m.find()) {
      names.add(m.group(1));
      m.appendReplacement(jdbc, "?");
    }
    m.appendTail(jdbc);
    sql = jdbc.toString();
  }

  static SqlFile load(String name) {
    String path = "sql/inventory/" + name + ".sql";
    try (InputStream in = SqlFile.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing " + path);
      }
      return new SqlFile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  PreparedStatement prepare(Connection c, Map<String, Object> parameters) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < names.size(); i++) {
      ps.setObject(i + 1, parameters.get(names.get(i)));
    }
    return ps;
  }
}
