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
 * {ref: "ISOLATION_{{hub.inventory.isolation}}"}}. camel-jdbc joins the transaction only through
 * {@code transactionalDataSource} (with {@code resetAutoCommit=false}); the plain {@code
 * dataSource} would commit each statement on its own.
 */
public final class TransactionPolicies {

  /** The isolation levels a route may ask for, as PostgreSQL names them in its settings. */
  public static final List<String> LEVELS =
      List.of("READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE");

  public static final String PREFIX = "ISOLATION_";

  private TransactionPolicies() {}

  public static void bind(Registry registry, DataSource dataSource) {
    DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
    registry.bind("transactionManager", manager);
    registry.bind("transactionalDataSource", new TransactionAwareDataSourceProxy(dataSource));
    for (String level : LEVELS) {
      TransactionTemplate template = new TransactionTemplate(manager);
      template.setName(PREFIX + level);
      template.setIsolationLevelName(PREFIX + level);
      template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
      registry.bind(PREFIX + level, new SpringTransactionPolicy(template));
    }
  }

  /** Fails when the level is not one of {@link #LEVELS}, naming the ones there are. */
  public static String checkLevel(String key, String level) {
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException(key + " is '" + level + "'; use one of " + LEVELS);
    }
    return level;
  }
}
