package io.eventhub.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SQL files under src/main/resources/sql/, for Java: the one way the hub runs SQL from Java is
 * Spring's {@code NamedParameterJdbcTemplate} (in a {@code TransactionTemplate} when it takes more
 * than one statement) with a statement from here. The files bind parameters as camel-jdbc does
 * ({@code :?name}), so a file serves a route and Java alike; here they become Spring's {@code
 * :name}.
 */
public final class SqlFiles {

  private static final Map<String, String> LOADED = new ConcurrentHashMap<>();

  private SqlFiles() {}

  /** The statement of {@code sql/<name>.sql}, e.g. {@code sql("inbox/claim")}. */
  public static String sql(String name) {
    return LOADED.computeIfAbsent(name, SqlFiles::load);
  }

  private static String load(String name) {
    String path = "sql/" + name + ".sql";
    try (InputStream in = SqlFiles.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no SQL file " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll(":\\?(\\w)", ":$1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
