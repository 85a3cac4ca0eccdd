package io.eventhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventhub.Settings;
import io.eventhub.engines.Topics;
import io.eventhub.support.Stock;
import io.eventhub.support.TestEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Several instances on one cluster and one database: the inbox retention deletes only rows past the
 * retention (on the database clock) and refuses a retention shorter than a replay window; instances
 * starting at once all create their topics, whoever comes first.
 */
class InboxRetentionTest {

  @Test
  void rowsPastTheRetentionAreDeletedOthersKept() {
    TestEngines.startPostgres();
    DataSource dataSource = new DriverManagerDataSource(TestEngines.jdbcUrl(), "postgres", "");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    String old = "evt-" + UUID.randomUUID();
    String recent = "evt-" + UUID.randomUUID();
    Stock.update(
        "insert into inbox (service, source, event_id, processed_at)"
            + " values ('retention-test', '/test', ?, now() - interval '31 days')",
        old);
    Stock.update(
        "insert into inbox (service, source, event_id, processed_at)"
            + " values ('retention-test', '/test', ?, now() - interval '29 days')",
        recent);

    InboxRetention retention = new InboxRetention(dataSource, Duration.ofDays(30), 10_000);
    while (retention.prune() > 0) {}

    assertThat(
            Stock.count(
                "select count(*) from inbox where service = 'retention-test' and event_id = ?",
                old))
        .isZero();
    assertThat(
            Stock.count(
                "select count(*) from inbox where service = 'retention-test' and event_id = ?",
                recent))
        .isEqualTo(1);
  }

  @Test
  void aRetentionShorterThanAReplayWindowStopsTheStart() {
    assertThat(InboxRetention.checked(settings("30d"))).isEqualTo(Duration.ofDays(30));
    assertThatThrownBy(() -> InboxRetention.checked(settings("2d")))
        .hasMessageContaining("hub.inbox.retention");
  }

  @Test
  void instancesStartingAtOnceAllCreateTheirTopics() throws Exception {
    TestEngines.start();
    List<String> topics = List.of("race-" + UUID.randomUUID(), "race-" + UUID.randomUUID());
    ExecutorService instances = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> starts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        starts.add(
            instances.submit(
                () -> {
                  Topics.ensure(TestEngines.brokers(), topics, List.of(), 1, (short) 1);
                  return null;
                }));
      }
      for (Future<?> start : starts) {
        start.get();
      }
    } finally {
      instances.shutdown();
    }
    try (Admin admin =
        Admin.create(
            java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers()))) {
      assertThat(admin.listTopics().names().get()).containsAll(topics);
    }
  }

  private static Settings settings(String retention) {
    DefaultCamelContext context = new DefaultCamelContext();
    Properties properties = new Properties();
    properties.setProperty("hub.inbox.retention", retention);
    context.getPropertiesComponent().setOverrideProperties(properties);
    return new Settings(context);
  }
}
