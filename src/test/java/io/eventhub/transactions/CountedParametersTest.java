package io.eventhub.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.support.TestEngines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.camel.component.jdbc.DefaultJdbcPrepareStatementStrategy;
import org.junit.jupiter.api.Test;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The parameter count {@link CountedParameters} gives camel-jdbc instead of the driver's round trip
 * must be the driver's: checked for every SQL file as camel-jdbc prepares it, against pgjdbc's own
 * parser, and on a real connection.
 */
class CountedParametersTest {

  private static final DefaultJdbcPrepareStatementStrategy CAMEL =
      new DefaultJdbcPrepareStatementStrategy();

  @Test
  void everySqlFileHasTheCountTheDriverBinds() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("src/main/resources/sql"))) {
      files = walk.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(20);
    for (Path file : files) {
      String prepared = CAMEL.prepareQuery(Files.readString(file, StandardCharsets.UTF_8), true);
      assertThat(CountedParameters.placeholders(prepared))
          .as(file.toString())
          .isEqualTo(driverCount(prepared));
    }
  }

  @Test
  void questionMarksInLiteralsCommentsAndQuotesAreNoParameters() throws Exception {
    String[] statements = {
      "select '?', \"a?\", $$?$$, $t$ ? $t$, E'\\'?', 'it''s ?' -- ?\n, ? /* ? /* ? */ ? */ , ?",
      "select jsonb_exists(x, ?) from t where y ?? 'k' and z = ?",
      "select $1, ? from t",
      "select 1"
    };
    for (String sql : statements) {
      assertThat(CountedParameters.placeholders(sql)).as(sql).isEqualTo(driverCount(sql));
    }
    assertThat(CountedParameters.placeholders(statements[0])).isEqualTo(2);
  }

  @Test
  void aStatementAnswersTheCountWithoutAskingTheServer() throws Exception {
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setUrl(TestEngines.jdbcUrl());
    pg.setUser(System.getProperty("hub.db.user"));
    DataSource dataSource = pg;
    String sql =
        CAMEL.prepareQuery(
            "select cast(:?a as text) as a, cast(:?b as int) + 1 as b -- :?c is no parameter",
            true);
    CountedParameters strategy = new CountedParameters();
    try (Connection c = strategy.getConnection(dataSource);
        PreparedStatement ps = c.prepareStatement(sql);
        Connection plain = DriverManager.getConnection(pg.getUrl(), pg.getUser(), null);
        PreparedStatement real = plain.prepareStatement(sql)) {
      assertThat(ps.getParameterMetaData().getParameterCount())
          .isEqualTo(real.getParameterMetaData().getParameterCount())
          .isEqualTo(2);
      // what else is asked of the metadata still comes from the driver
      assertThat(ps.getParameterMetaData().getParameterTypeName(2)).isEqualTo("int4");
      ps.setObject(1, "x");
      ps.setObject(2, 41);
      try (var rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getString("a")).isEqualTo("x");
        assertThat(rs.getInt("b")).isEqualTo(42);
      }
    }
  }

  private static int driverCount(String sql) throws Exception {
    int count = 0;
    for (NativeQuery query : Parser.parseJdbcSql(sql, true, true, false, false, false)) {
      count += query.bindPositions.length;
    }
    return count;
  }
}
