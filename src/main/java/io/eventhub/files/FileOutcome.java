package io.eventhub.files;

import java.util.Map;

/**
 * The aggregated outcome of a file's tasks, decided from their states alone (plain Java, no
 * engines): every task SUCCEEDED is COMPLETED; any task FAILED, once none is still REQUESTED, is
 * FAILED; on the deadline, with tasks still REQUESTED, some succeeded is PARTIAL and none FAILED.
 * Null while the file waits for more reports.
 */
public final class FileOutcome {

  public static final String PENDING = "PENDING";
  public static final String COMPLETED = "COMPLETED";
  public static final String FAILED = "FAILED";
  public static final String PARTIAL = "PARTIAL";

  /** The decision: a final status and its reason (null for COMPLETED). */
  public record Decision(String status, String reason) {}

  private FileOutcome() {}

  /**
   * @param tasks each requested task's state: REQUESTED, SUCCEEDED or FAILED
   * @param timedOut whether the file's deadline has passed
   * @return the final decision, or null while the file waits
   */
  public static Decision decide(Map<String, String> tasks, boolean timedOut) {
    long requested = tasks.values().stream().filter("REQUESTED"::equals).count();
    long succeeded = tasks.values().stream().filter("SUCCEEDED"::equals).count();
    long failed = tasks.values().stream().filter("FAILED"::equals).count();
    if (requested > 0 && !timedOut) {
      return null;
    }
    if (requested > 0) {
      String missing =
          String.join(
              ", ",
              tasks.entrySet().stream()
                  .filter(e -> e.getValue().equals("REQUESTED"))
                  .map(Map.Entry::getKey)
                  .sorted()
                  .toList());
      return succeeded > 0
          ? new Decision(PARTIAL, "TIMEOUT: no result for " + missing)
          : new Decision(FAILED, "TIMEOUT: no result for " + missing);
    }
    if (failed > 0) {
      String which =
          String.join(
              ", ",
              tasks.entrySet().stream()
                  .filter(e -> e.getValue().equals("FAILED"))
                  .map(Map.Entry::getKey)
                  .sorted()
                  .toList());
      return new Decision(FAILED, "TASK_FAILED: " + which);
    }
    return new Decision(COMPLETED, null);
  }

  public static boolean isFinal(String status) {
    return !PENDING.equals(status);
  }
}
