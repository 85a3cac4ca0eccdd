package io.eventhub.reliability;

import static io.eventhub.persistence.SqlFiles.sql;

import io.eventhub.Settings;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Deletes inbox rows older than {@code hub.inbox.retention} ({@code
 * routes/inbox-retention.camel.yaml}). The retention must outlast every way an event can come back:
 * a redelivery (the retry budget), a consumer group reading again, and a replay from a dead letter
 * topic, whose records Kafka keeps for its retention (7 days by default). A shorter one stops the
 * start, naming the key.
 */
public class InboxRetention {

  /** Kafka's default log retention, plus a day: the shortest retention accepted. */
  static final Duration SHORTEST = Duration.ofDays(8);

  private final NamedParameterJdbcTemplate jdbc;
  private final Duration retention;
  private final int batch;

  public InboxRetention(DataSource dataSource, Duration retention, int batch) {
    this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    this.retention = retention;
    this.batch = batch;
  }

  static Duration checked(Settings settings) {
    Duration retention = settings.duration("hub.inbox.retention");
    if (retention.compareTo(SHORTEST) < 0) {
      throw new IllegalStateException(
          "hub.inbox.retention is "
              + retention
              + ": it must be at least "
              + SHORTEST.toDays()
              + " days, longer than any redelivery or dead letter replay window");
    }
    return retention;
  }

  /** Deletes one batch of rows past the retention; how many. */
  public int prune() {
    return jdbc.update(
        sql("reliability/prune-inbox"),
        Map.of("retentionMs", retention.toMillis(), "batch", batch));
  }
}
