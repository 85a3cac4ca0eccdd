package io.eventhub.transactions;

import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.spi.Registry;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What {@code transacted} needs in camel-main: a transaction manager on the data source, and one
 * policy per isolation level, bound as {@code ISOLATION_<LEVEL>} so a route says {@code transacted:
 * {ref: "ISOLATION_{{hub.inventory.isolation.reserve}}"}}. camel-jdbc joins the transaction only
 * through {@code transactionalDataSource} (with {@code resetAutoCommit=false}); the plain {@code
 * dataSource} would commit each statement on its own.
 */
public final class TransactionPolicies {

  /** The isolation levels a route may ask for, as PostgreSQL names them in its settings. */
  public static final List<String> LEVELS =
      List.of("READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE");

  /**
   * Accepted too, and bound: PostgreSQL runs it as READ COMMITTED (it never shows uncommitted
   * rows), though the transaction reports {@code read uncommitted}. Not one of {@link #LEVELS}: the
   * lab measures it in its anomaly matrix, not in the benchmark.
   */
  public static final String READ_UNCOMMITTED = "READ_UNCOMMITTED";

  /** What PostgreSQL does with {@link #READ_UNCOMMITTED}, as the start-up log says it. */
  public static final String READ_UNCOMMITTED_REASON =
      "runs as READ COMMITTED in PostgreSQL, which never shows uncommitted rows (it accepts the"
          + " level and reports 'read uncommitted', but reads committed data only; see"
          + " docs/concurrency-lab.md)";

  public static final String PREFIX = "ISOLATION_";

  private TransactionPolicies() {}

  public static void bind(Registry registry, DataSource dataSource) {
    DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
    registry.bind("transactionManager", manager);
    registry.bind("transactionalDataSource", new TransactionAwareDataSourceProxy(dataSource));
    for (String level : accepted()) {
      TransactionTemplate template = new TransactionTemplate(manager);
      template.setName(PREFIX + level);
      template.setIsolationLevelName(PREFIX + level);
      template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
      registry.bind(PREFIX + level, new SpringTransactionPolicy(template));
    }
  }

  /** Every level a route may name: {@link #READ_UNCOMMITTED} and {@link #LEVELS}. */
  public static List<String> accepted() {
    return List.of(READ_UNCOMMITTED, LEVELS.get(0), LEVELS.get(1), LEVELS.get(2));
  }

  /** Fails when the level is not one of {@link #accepted()}, naming the ones there are. */
  public static String checkLevel(String key, String level) {
    if (!accepted().contains(level)) {
      throw new IllegalArgumentException(key + " is '" + level + "'; use one of " + accepted());
    }
    return level;
  }
}
