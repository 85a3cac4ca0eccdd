package io.eventhub.transactions;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.component.jdbc.DefaultConnectionStrategy;

/**
 * camel-jdbc's connection strategy for the stock statements ({@code hub.inventory.jdbc}, {@code
 * connectionStrategy=#countedParameters}): the same connection, but a prepared statement answers
 * {@code getParameterMetaData().getParameterCount()} from its SQL text. camel-jdbc asks for that
 * count before every statement it binds from headers, and pgjdbc answers it with a round trip to
 * PostgreSQL (a describe of the statement); at 6 to 10 statements per reservation that round trip
 * was half of the time spent in SQL. The count is the number of {@code ?} placeholders outside
 * string literals, quoted identifiers, comments and dollar quotes ({@code ??} is pgjdbc's escaped
 * {@code ?}), counted once per statement text. Anything else asked of the metadata goes to the
 * driver as before. CountedParametersTest checks the count against the driver for every SQL file.
 */
public class CountedParameters extends DefaultConnectionStrategy {

  private final Map<String, Integer> counts = new ConcurrentHashMap<>();

  @Override
  public Connection getConnection(DataSource dataSource) throws java.sql.SQLException {
    Connection connection = dataSource.getConnection();
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionHandler(connection));
  }

  /** The placeholders of a statement, counted once per text. */
  public int count(String sql) {
    return counts.computeIfAbsent(sql, CountedParameters::placeholders);
  }

  /**
   * The {@code ?} placeholders pgjdbc binds in this SQL text: outside '...' (and E'...' with its
   * backslash escapes), "...", -- and nested block comments, and $tag$...$tag$; {@code ??} counts
   * as none (pgjdbc's escape for a literal question mark).
   */
  static int placeholders(String sql) {
    int count = 0;
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'') {
        boolean backslashes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e');
        i++;
        while (i < n) {
          char d = sql.charAt(i);
          if (backslashes && d == '\\') {
            i += 2;
          } else if (d == '\'') {
            if (i + 1 < n && sql.charAt(i + 1) == '\'') {
              i += 2;
            } else {
              break;
            }
          } else {
            i++;
          }
        }
        i++;
      } else if (c == '"') {
        int end = sql.indexOf('"', i + 1);
        i = end < 0 ? n : end + 1;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int depth = 1;
        i += 2;
        while (i < n && depth > 0) {
          if (sql.startsWith("/*", i)) {
            depth++;
            i += 2;
          } else if (sql.startsWith("*/", i)) {
            depth--;
            i += 2;
          } else {
            i++;
          }
        }
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        int end = sql.indexOf(tag, i + tag.length());
        i = end < 0 ? n : end + tag.length();
      } else if (c == '?') {
        if (i + 1 < n && sql.charAt(i + 1) == '?') {
          i += 2;
        } else {
          count++;
          i++;
        }
      } else {
        i++;
      }
    }
    return count;
  }

  /** The dollar-quote tag starting here ($$ or $name$), or null ($1 and the like are no tags). */
  private static String dollarTag(String sql, int start) {
    if (start > 0 && Character.isLetterOrDigit(sql.charAt(start - 1))) {
      return null;
    }
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '$') {
        return sql.substring(start, i + 1);
      }
      if (!(Character.isLetter(c) || c == '_' || (i > start + 1 && Character.isDigit(c)))) {
        return null;
      }
      i++;
    }
    return null;
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private final class ConnectionHandler implements InvocationHandler {

    private final Connection connection;

    ConnectionHandler(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      Object result = CountedParameters.invoke(connection, method, args);
      if (method.getName().equals("prepareStatement")
          && args != null
          && args[0] instanceof String sql
          && result instanceof PreparedStatement statement) {
        return Proxy.newProxyInstance(
            PreparedStatement.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            new StatementHandler(statement, count(sql)));
      }
      return result;
    }
  }

  private static final class StatementHandler implements InvocationHandler {

    private final PreparedStatement statement;
    private final int count;

    StatementHandler(PreparedStatement statement, int count) {
      this.statement = statement;
      this.count = count;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("getParameterMetaData") && args == null) {
        return Proxy.newProxyInstance(
            ParameterMetaData.class.getClassLoader(),
            new Class<?>[] {ParameterMetaData.class},
            (p, m, a) ->
                m.getName().equals("getParameterCount") && a == null
                    ? count
                    : CountedParameters.invoke(statement.getParameterMetaData(), m, a));
      }
      return CountedParameters.invoke(statement, method, args);
    }
  }
}
