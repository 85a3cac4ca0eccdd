package io.eventhub.files;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which tasks a file gets, by its (sniffed) content type, from {@code hub.files.tasks.<type>} with
 * the type's slash as a dash ({@code hub.files.tasks.image-png=sha256,thumbnail-128}), and which
 * content types are accepted at all ({@code hub.files.allowed-types}).
 */
public class FileTaskPlan {

  private final List<String> allowedTypes;
  private final Map<String, List<String>> tasksByType;

  public FileTaskPlan(List<String> allowedTypes, Map<String, List<String>> tasksByType) {
    this.allowedTypes = allowedTypes.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
    this.tasksByType = tasksByType;
  }

  public boolean allows(String contentType) {
    return contentType != null && allowedTypes.contains(contentType);
  }

  public List<String> allowedTypes() {
    return allowedTypes;
  }

  /** The tasks of an allowed type; at least {@code sha256}. */
  public List<String> tasks(String contentType) {
    List<String> tasks = tasksByType.get(contentType);
    return tasks == null || tasks.isEmpty() ? List.of("sha256") : tasks;
  }

  /** The property key of a type's tasks. */
  public static String key(String contentType) {
    return "hub.files.tasks." + contentType.replace('/', '-');
  }
}
