package io.eventhub.reliability;

import static io.eventhub.persistence.SqlFiles.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.support.TestEngines;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every outbox relay claims the rows it republishes: two instances never take the same row at once
 * (the claim skips rows another transaction holds, then leases them on the database clock), and a
 * row whose lease ended (its instance died) is claimed again.
 */
class RelayClaimsTest {

  /** Each relay: its claim statement, and an unpublished row of its table, decided a day ago. */
  enum Relay {
    ORDERS(
        "orders/unpublished-orders",
        "insert into orders (order_id, status, outcome_id, outcome_type, outcome_data, updated_at)"
            + " values (:id, 'CONFIRMED', :id, 'OrderConfirmed', '{}', now() - interval '1 day')"),
    INVENTORY(
        "inventory/claim-unpublished",
        "insert into inventory_orders (order_id, status, result_event_id, result_type, result_time,"
            + " result_data, decided_at) values (:id, 'REJECTED', :id, 'InventoryRejected',"
            + " '2026-12-01T00:00:00Z', '{}', now() - interval '1 day')"),
    FILES(
        "files/unpublished-files",
        "insert into files (file_id, name, content_type, size, sha256, storage_key, status,"
            + " deadline, outcome_id, outcome_data, updated_at) values (:id, 'a.txt', 'text/plain',"
            + " 1, 'x', :id, 'COMPLETED', now(), :id, '{}', now() - interval '1 day')"),
    CHAT(
        "chat/unpublished",
        "with chat as (insert into chats (chat_id, last_seq) values (:id, 1) returning chat_id)"
            + " insert into chat_messages (message_id, chat_id, seq, sender_id, recipient_ids, body,"
            + " sent_at, verdict, source, event_id, moderated_at) select :id, chat_id, 1, 'u1',"
            + " array['u2'], 'hello', now(), 'ALLOWED', '/test', :id, now() - interval '1 day'"
            + " from chat");

    final String claim;
    final String row;

    Relay(String claim, String row) {
      this.claim = claim;
      this.row = row;
    }
  }

  private static NamedParameterJdbcTemplate jdbc;
  private static TransactionTemplate transaction;
  private static TransactionTemplate otherInstance;

  @BeforeAll
  static void database() {
    TestEngines.startPostgres();
    DataSource dataSource = new DriverManagerDataSource(TestEngines.jdbcUrl(), "postgres", "");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = new NamedParameterJdbcTemplate(dataSource);
    DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
    transaction = new TransactionTemplate(manager);
    otherInstance = new TransactionTemplate(manager);
    otherInstance.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  private static List<String> claim(Relay relay, long leaseMs) {
    // each claim statement names its wait and lease parameters in its own words
    Map<String, Object> parameters = Map.of("afterMs", 1000, "ageMillis", 1000, "leaseMs", leaseMs);
    return jdbc.query(sql(relay.claim), parameters, (rs, n) -> rs.getString(1));
  }

  @ParameterizedTest
  @EnumSource(Relay.class)
  void anInstanceSkipsRowsAnotherOneIsClaiming(Relay relay) {
    String id = relay.name().toLowerCase() + "-" + UUID.randomUUID();
    jdbc.update(relay.row, Map.of("id", id));

    List<String> other =
        transaction.execute(
            first -> {
              assertThat(claim(relay, 60_000)).as("the first instance's claim").contains(id);
              // the second instance claims on a connection of its own while the first one's
              // transaction still holds the row
              return otherInstance.execute(second -> claim(relay, 60_000));
            });
    assertThat(other).as("the second instance's claim").doesNotContain(id);
    assertThat(claim(relay, 60_000)).as("claimed again while leased").doesNotContain(id);
  }

  @ParameterizedTest
  @EnumSource(Relay.class)
  void aRowWhoseLeaseEndedIsClaimedAgain(Relay relay) {
    String id = relay.name().toLowerCase() + "-" + UUID.randomUUID();
    jdbc.update(relay.row, Map.of("id", id));

    assertThat(claim(relay, 0)).contains(id);
    assertThat(claim(relay, 60_000)).as("the lease of 0 ms has ended").contains(id);
    assertThat(claim(relay, 60_000)).doesNotContain(id);
  }
}
