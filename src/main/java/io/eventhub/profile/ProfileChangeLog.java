package io.eventhub.profile;

import io.eventhub.http.ProblemException;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analytics side of profile changes: the parameters the SQL in
 * routes/analytics-on-user-profile-updated.camel.yaml and routes/analytics-api.camel.yaml binds,
 * and the answer made of the rows it reads back.
 */
public class ProfileChangeLog {

  private int maxRows = 1000;

  public void setMaxRows(int maxRows) {
    this.maxRows = maxRows;
  }

  /** The row of one change: {@code eventId, userId, version, changedFields, changedAt}. */
  public Map<String, Object> row(ProfileUpdate update) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("eventId", update.eventId());
    row.put("userId", update.userId());
    row.put("version", update.version());
    row.put("changedFields", update.changedFields().toArray(String[]::new));
    row.put("changedAt", update.time());
    return row;
  }

  /**
   * The query of {@code GET /api/analytics/profile-changes?userId=&since=}: {@code userId} is
   * required, {@code since} (RFC 3339) is optional.
   */
  public Map<String, Object> query(String userId, String since) {
    if (userId == null || userId.isBlank()) {
      throw new ProblemException(
          400, "Bad Request", "The query parameter userId is required (the user whose changes).");
    }
    OffsetDateTime from = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    if (since != null && !since.isBlank()) {
      try {
        from = OffsetDateTime.parse(since.trim());
      } catch (DateTimeParseException e) {
        throw new ProblemException(
            400,
            "Bad Request",
            "The query parameter since must be an RFC 3339 timestamp, such as"
                + " 2026-11-26T10:00:00Z.");
      }
    }
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("userId", userId);
    query.put("since", from);
    query.put("limit", maxRows);
    return query;
  }

  /** The answer: the user's changes since the given time, oldest first. */
  public Map<String, Object> answer(List<Map<String, Object>> rows, String userId, String since)
      throws SQLException {
    List<Map<String, Object>> changes = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Map<String, Object> change = new LinkedHashMap<>();
      change.put("source", row.get("source"));
      change.put("eventId", row.get("event_id"));
      change.put("version", row.get("version"));
      change.put(
          "changedFields",
          Arrays.asList((Object[]) ((Array) row.get("changed_fields")).getArray()));
      change.put("changedAt", iso((Timestamp) row.get("changed_at")));
      change.put("recordedAt", iso((Timestamp) row.get("recorded_at")));
      changes.add(change);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("userId", userId);
    if (since != null && !since.isBlank()) {
      answer.put("since", since.trim());
    }
    answer.put("count", changes.size());
    answer.put("changes", changes);
    return answer;
  }

  private static String iso(Timestamp time) {
    return time.toInstant().toString();
  }
}
