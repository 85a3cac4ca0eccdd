package io.eventhub.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventhub.support.TestEngines;
import java.sql.Connection;
import java.sql.Statement;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.aggregate.jdbc.JdbcAggregationRepository;
import org.apache.camel.processor.aggregate.jdbc.PostgresAggregationRepository;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Why the files' aggregator is not Camel's {@code aggregate} EIP on camel-sql's repositories at
 * 4.18.0 (docs/decisions.md), on the real PostgreSQL: the failing cases of CAMEL-24044 and
 * CAMEL-24048. When Camel is upgraded to a release with both fixes, these tests fail: then look
 * again.
 */
class CamelAggregationRepositoriesTest {

  static PGSimpleDataSource dataSource;
  static DataSourceTransactionManager transactions;
  static CamelContext camel;

  @BeforeAll
  static void tables() throws Exception {
    TestEngines.startPostgres();
    // a schema of its own: the hub's migrations own the public schema of the tests' PostgreSQL
    PGSimpleDataSource admin = new PGSimpleDataSource();
    admin.setURL(TestEngines.jdbcUrl());
    admin.setUser(System.getProperty("hub.db.user"));
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement()) {
      s.execute("create schema if not exists camel_repositories");
    }
    dataSource = new PGSimpleDataSource();
    dataSource.setURL(TestEngines.jdbcUrl());
    dataSource.setUser(System.getProperty("hub.db.user"));
    dataSource.setCurrentSchema("camel_repositories");
    transactions = new DataSourceTransactionManager(dataSource);
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String table : new String[] {"spike_pg", "spike_jdbc"}) {
        for (String name : new String[] {table, table + "_completed"}) {
          s.execute("drop table if exists " + name);
          s.execute(
              "create table "
                  + name
                  + " (id varchar(255) primary key, exchange bytea not null, version bigint not"
                  + " null)");
        }
      }
    }
    camel = new DefaultCamelContext();
    camel.start();
  }

  @AfterAll
  static void stop() {
    camel.stop();
  }

  /** CAMEL-24044: PostgresAggregationRepository binds one parameter more than its INSERT has. */
  @Test
  void postgresAggregationRepositoryCannotStoreAnAggregate() throws Exception {
    PostgresAggregationRepository repository =
        new PostgresAggregationRepository(transactions, "spike_pg", dataSource);
    repository.start();

    assertThatThrownBy(() -> repository.add(camel, "file-1", exchange("sha256")))
        .hasStackTraceContaining("out of range");
  }

  /**
   * CAMEL-24048: a remove with a stale version deletes nothing and says nothing. One instance
   * completes the aggregate it read; meanwhile another added a result to it. The first's stale
   * aggregate goes to the completed table while the newer one stays, to complete again: a file
   * completed twice, the second time without the first's decision.
   */
  @Test
  void jdbcAggregationRepositoryRemovesAStaleAggregateSilently() throws Exception {
    JdbcAggregationRepository repository =
        new JdbcAggregationRepository(transactions, "spike_jdbc", dataSource);
    repository.start();
    repository.add(camel, "file-2", exchange("sha256"));
    Exchange readByA = repository.get(camel, "file-2");
    Exchange readByB = repository.get(camel, "file-2");
    readByB.getMessage().setBody("sha256,text");
    repository.add(camel, "file-2", readByB);

    // A completes from its stale read: no OptimisticLockingException
    repository.remove(camel, "file-2", readByA);

    assertThat(repository.scan(camel)).contains(readByA.getExchangeId());
    Exchange stillOpen = repository.get(camel, "file-2");
    assertThat(stillOpen).isNotNull();
    assertThat(stillOpen.getMessage().getBody(String.class)).isEqualTo("sha256,text");
  }

  private static Exchange exchange(String body) {
    Exchange exchange = new DefaultExchange(camel);
    exchange.getMessage().setBody(body);
    return exchange;
  }
}
