package io.eventhub.intake;

import static io.eventhub.persistence.SqlFiles.sql;

import io.eventhub.delivery.InboxRepository;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The inbox of the events the hub accepted from outside (intake, signed callbacks): an event is
 * remembered only once the broker acknowledged it, so the row is a de-duplication hint, not the
 * record of an effect. Its insert is committed without waiting for PostgreSQL's WAL flush ({@code
 * synchronous_commit = off}, this transaction only): a database crash can lose the last rows, and
 * the same event posted again is then published again with the same id, which every consumer's
 * inbox skips — what a crash between the broker's ack and the insert already means. Consumers'
 * inboxes, written with their effects, keep the synchronous commit. {@code
 * hub.intake.synchronous-commit=true} waits for the flush here too.
 */
public class PublishedInbox extends InboxRepository {

  private final TransactionTemplate transactions;
  private final JdbcTemplate jdbc;
  private final boolean synchronousCommit;

  public PublishedInbox(DataSource dataSource, String service, boolean synchronousCommit) {
    super(dataSource, service);
    this.synchronousCommit = synchronousCommit;
    this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.jdbc = new JdbcTemplate(dataSource);
  }

  @Override
  public boolean add(String eventKey) {
    if (synchronousCommit) {
      return super.add(eventKey);
    }
    return Boolean.TRUE.equals(
        transactions.execute(
            status -> {
              jdbc.execute(sql("inbox/relaxed-commit"));
              return PublishedInbox.super.add(eventKey);
            }));
  }
}
