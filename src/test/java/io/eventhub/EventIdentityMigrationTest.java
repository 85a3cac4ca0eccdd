package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.delivery.EventIdentity;
import io.eventhub.delivery.InboxRepository;
import io.eventhub.support.TestEngines;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V5__event_identity.sql on a database with rows written before sources were recorded: intake's
 * rows are split into source and id, the others keep a legacy marker and still count for their id.
 */
class EventIdentityMigrationTest {

  private static final String LEGACY = EventIdentity.LEGACY_SOURCE;
  private static DriverManagerDataSource dataSource;
  private static JdbcTemplate jdbc;

  @BeforeAll
  static void migrateOverOldRows() {
    String url = TestEngines.jdbcUrl();
    String database = "identity_migration_" + System.nanoTime();
    new JdbcTemplate(new DriverManagerDataSource(url, "postgres", ""))
        .execute("create database " + database);
    dataSource =
        new DriverManagerDataSource(
            url.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"), "postgres", "");
    jdbc = new JdbcTemplate(dataSource);
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .target("4")
        .load()
        .migrate();
    jdbc.update(
        "insert into inbox (service, event_id) values"
            + " ('intake', '/shop/checkout evt-1'), ('shipping', 'evt-1'),"
            + " ('inventory', 'evt-2'), ('order-saga', 'order-saga-o-1-cancelled')");
    jdbc.update(
        "insert into profile_changes (event_id, user_id, version, changed_fields, changed_at)"
            + " values ('evt-9', 'u-1', 3, '{name}', now())");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  @Test
  void intakeRowsAreSplitAndTheOthersMarkedLegacy() {
    List<Map<String, Object>> rows =
        jdbc.queryForList("select service, source, event_id from inbox order by service");

    assertThat(rows)
        .containsExactly(
            Map.of("service", "intake", "source", "/shop/checkout", "event_id", "evt-1"),
            Map.of("service", "inventory", "source", LEGACY, "event_id", "evt-2"),
            Map.of(
                "service", "order-saga", "source", LEGACY, "event_id", "order-saga-o-1-cancelled"),
            Map.of("service", "shipping", "source", LEGACY, "event_id", "evt-1"));
    assertThat(jdbc.queryForObject("select source from profile_changes", String.class))
        .isEqualTo(LEGACY);
  }

  @Test
  void anEventHandledBeforeTheMigrationIsNotHandledAgain() throws Exception {
    InboxRepository intake = inbox("intake");
    InboxRepository shipping = inbox("shipping");

    assertThat(intake.contains(EventIdentity.key("/shop/checkout", "evt-1"))).isTrue();
    assertThat(intake.add(EventIdentity.key("/shop/checkout", "evt-1"))).isFalse();
    assertThat(intake.add(EventIdentity.key("/shop/mobile", "evt-1"))).isTrue();
    // its source unknown, the legacy row stands for the id from any source
    assertThat(shipping.contains(EventIdentity.key("/shop/checkout", "evt-1"))).isTrue();
    assertThat(shipping.add(EventIdentity.key("/shop/checkout", "evt-1"))).isFalse();
    assertThat(shipping.add(EventIdentity.key("/shop/checkout", "evt-new"))).isTrue();
    assertThat(shipping.add(EventIdentity.key("/shop/checkout", "evt-new"))).isFalse();
    assertThat(shipping.add(EventIdentity.key("/shop/mobile", "evt-new"))).isTrue();
    assertThat(shipping.remove(EventIdentity.key("/shop/mobile", "evt-new"))).isTrue();
    assertThat(shipping.contains(EventIdentity.key("/shop/mobile", "evt-new"))).isFalse();
    assertThat(shipping.contains(EventIdentity.key("/shop/checkout", "evt-new"))).isTrue();
  }

  private static InboxRepository inbox(String service) {
    return new InboxRepository(dataSource, service);
  }
}
