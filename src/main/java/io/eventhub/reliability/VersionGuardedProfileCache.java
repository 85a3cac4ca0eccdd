package io.eventhub.reliability;

import static io.eventhub.persistence.SqlFiles.sql;

import io.eventhub.profile.ProfileCache;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * A profile cache (in this process or Redis) that never goes back in version, whatever users.events
 * holds or replays: each user's newest version is kept in PostgreSQL ({@code profile_versions}) and
 * compared before the cache is written. users.events is compacted, so a stale or replayed record
 * can be the last one kept for a user; a cache filled again from the topic after a restart then
 * gets the newest profile from PostgreSQL instead of that record.
 */
public class VersionGuardedProfileCache implements ProfileCache {

  private final NamedParameterJdbcTemplate jdbc;
  private final ProfileCache cache;

  public VersionGuardedProfileCache(DataSource dataSource, ProfileCache cache) {
    this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    this.cache = cache;
  }

  @Override
  public boolean putIfNewer(String userId, long version, String profile) {
    boolean newest =
        jdbc.update(
                sql("profile/put-if-newer"),
                Map.of("userId", userId, "version", version, "profile", profile))
            == 1;
    if (newest) {
      cache.putIfNewer(userId, version, profile);
      return true;
    }
    // older than the newest known: the cache gets the newest (it may have lost it in a restart)
    newest(userId).ifPresent(n -> cache.putIfNewer(userId, n.version(), n.profile()));
    return false;
  }

  @Override
  public Optional<String> get(String userId) {
    Optional<String> cached = cache.get(userId);
    if (cached.isPresent()) {
      return cached;
    }
    Optional<Newest> newest = newest(userId);
    newest.ifPresent(n -> cache.putIfNewer(userId, n.version(), n.profile()));
    return newest.map(Newest::profile);
  }

  private record Newest(long version, String profile) {}

  private Optional<Newest> newest(String userId) {
    List<Newest> rows =
        jdbc.query(
            sql("profile/newest"),
            Map.of("userId", userId),
            (rs, n) -> new Newest(rs.getLong("version"), rs.getString("profile")));
    return rows.stream().findFirst();
  }
}
