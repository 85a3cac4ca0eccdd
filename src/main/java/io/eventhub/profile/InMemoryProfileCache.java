package io.eventhub.profile;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The profile cache inside this process: the default, for one instance. */
public class InMemoryProfileCache implements ProfileCache {

  private record Entry(long version, String profile) {}

  private final Map<String, Entry> profiles = new ConcurrentHashMap<>();

  @Override
  public boolean putIfNewer(String userId, long version, String profile) {
    Entry offered = new Entry(version, profile);
    // compute runs atomically per key: the version check and the write cannot interleave
    return profiles.compute(
            userId, (id, cached) -> cached == null || cached.version() < version ? offered : cached)
        == offered;
  }

  @Override
  public Optional<String> get(String userId) {
    return Optional.ofNullable(profiles.get(userId)).map(Entry::profile);
  }
}
