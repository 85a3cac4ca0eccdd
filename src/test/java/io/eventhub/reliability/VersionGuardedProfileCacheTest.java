package io.eventhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.profile.InMemoryProfileCache;
import io.eventhub.support.TestEngines;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The profile cache never goes back in version: users.events is compacted, so a stale (replayed)
 * record can be the last one kept for a user. After a restart the in-process cache is filled again
 * from that topic, and still answers the newest profile.
 */
class VersionGuardedProfileCacheTest {

  private static DataSource dataSource;

  @BeforeAll
  static void database() {
    TestEngines.startPostgres();
    dataSource = new DriverManagerDataSource(TestEngines.jdbcUrl(), "postgres", "");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  @Test
  void aStaleRecordLastOnTheCompactedTopicDoesNotRollTheProfileBackAfterARestart() {
    String userId = "user-" + UUID.randomUUID();
    VersionGuardedProfileCache before =
        new VersionGuardedProfileCache(dataSource, new InMemoryProfileCache());
    assertThat(before.putIfNewer(userId, 4, "{\"version\":4}")).isTrue();
    assertThat(before.putIfNewer(userId, 5, "{\"version\":5}")).isTrue();
    // a DLQ replay publishes version 3 again: it is now the last record for the user
    assertThat(before.putIfNewer(userId, 3, "{\"version\":3}")).isFalse();
    assertThat(before.get(userId)).hasValue("{\"version\":5}");

    // restart: an empty cache, filled from the compacted topic, which holds only version 3
    VersionGuardedProfileCache after =
        new VersionGuardedProfileCache(dataSource, new InMemoryProfileCache());
    assertThat(after.putIfNewer(userId, 3, "{\"version\":3}")).isFalse();
    assertThat(after.get(userId)).hasValue("{\"version\":5}");
  }

  @Test
  void aProfileNeverSeenSinceTheRestartIsAnsweredFromTheNewestKnown() {
    String userId = "user-" + UUID.randomUUID();
    new VersionGuardedProfileCache(dataSource, new InMemoryProfileCache())
        .putIfNewer(userId, 7, "{\"version\":7}");
    VersionGuardedProfileCache restarted =
        new VersionGuardedProfileCache(dataSource, new InMemoryProfileCache());
    assertThat(restarted.get(userId)).hasValue("{\"version\":7}");
    assertThat(restarted.get("user-" + UUID.randomUUID())).isEmpty();
  }
}
