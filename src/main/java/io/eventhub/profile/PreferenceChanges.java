package io.eventhub.profile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What the recommendation service hears of a profile change: the preferences that changed, nothing
 * personal. {@code {"userId", "version", "changedFields", "preferences"}}, where {@code
 * preferences} holds the changed top-level preferences with their new values (all of them when
 * {@code preferences} itself is listed as changed).
 */
public class PreferenceChanges {

  private static final String PREFERENCES = "preferences";

  private final ObjectMapper mapper = new ObjectMapper();

  /** Whether any preference changed. */
  public boolean any(ProfileUpdate update) {
    return !changedPreferenceFields(update).isEmpty();
  }

  /** The JSON request to the recommendation service. */
  public String request(ProfileUpdate update) {
    List<String> fields = changedPreferenceFields(update);
    ObjectNode changed = mapper.createObjectNode();
    for (String field : fields) {
      if (field.equals(PREFERENCES)) {
        changed.setAll(update.preferences());
      } else {
        String key = field.substring(PREFERENCES.length() + 1).split("\\.", 2)[0];
        if (update.preferences().has(key)) {
          changed.set(key, update.preferences().get(key));
        } else {
          // a preference that was removed
          changed.putNull(key);
        }
      }
    }
    ObjectNode request = mapper.createObjectNode();
    request.put("userId", update.userId());
    request.put("version", update.version());
    request.set("changedFields", mapper.valueToTree(fields));
    request.set("preferences", changed);
    return request.toString();
  }

  private static List<String> changedPreferenceFields(ProfileUpdate update) {
    return update.changedFields().stream()
        .filter(field -> field.equals(PREFERENCES) || field.startsWith(PREFERENCES + "."))
        .toList();
  }
}
