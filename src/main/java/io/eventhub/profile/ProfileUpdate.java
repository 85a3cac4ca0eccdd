package io.eventhub.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One {@code UserProfileUpdated} event as the profile routes use it: its id and time, and its data
 * checked against the event's schema. {@link #toString()} leaves out personal data (email, name),
 * so the update can never end up in a log by accident.
 */
public record ProfileUpdate(
    String eventId,
    OffsetDateTime time,
    String userId,
    long version,
    String email,
    String name,
    ObjectNode preferences,
    List<String> changedFields,
    ObjectNode data) {

  /** The profile as the cache keeps it: the event's data without the change list, and its time. */
  public String snapshot() {
    ObjectNode profile = data.deepCopy();
    profile.remove("changedFields");
    profile.put("updatedAt", time.toInstant().toString());
    return profile.toString();
  }

  @Override
  public String toString() {
    return "ProfileUpdate[eventId="
        + eventId
        + ", userId="
        + userId
        + ", version="
        + version
        + ", changedFields="
        + changedFields
        + "]";
  }
}
