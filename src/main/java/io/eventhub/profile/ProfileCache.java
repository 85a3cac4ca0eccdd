package io.eventhub.profile;

import io.eventhub.http.ProblemException;
import java.util.Optional;

/**
 * The latest profile of each user, as {@code GET /api/users/{id}/profile} answers it. A profile is
 * replaced only by a newer version: an update delivered twice, late, or replayed from the dead
 * letter topic never rolls a profile back.
 */
public interface ProfileCache {

  /**
   * Stores the profile unless the cache already holds this or a newer version of it, in one atomic
   * step.
   *
   * @return whether it was stored
   */
  boolean putIfNewer(String userId, long version, String profile);

  /** The cached profile (JSON) of the user, if any. */
  Optional<String> get(String userId);

  /** Caches the profile an update carries, if it is newer than the cached one. */
  default boolean update(ProfileUpdate update) {
    return putIfNewer(update.userId(), update.version(), update.snapshot());
  }

  /** The user's profile, or a 404 problem. */
  default String profileOf(String userId) {
    return get(userId)
        .orElseThrow(
            () ->
                new ProblemException(
                    404, "Not Found", "No profile of user '" + userId + "' is known."));
  }
}
