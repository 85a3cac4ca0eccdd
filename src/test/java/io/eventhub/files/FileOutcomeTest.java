package io.eventhub.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FileOutcomeTest {

  @Test
  void waitsWhileATaskIsRequested() {
    assertThat(FileOutcome.decide(Map.of("sha256", "SUCCEEDED", "text", "REQUESTED"), false))
        .isNull();
    assertThat(FileOutcome.decide(Map.of("sha256", "FAILED", "text", "REQUESTED"), false)).isNull();
  }

  @Test
  void everyTaskSucceededIsCompleted() {
    assertThat(FileOutcome.decide(Map.of("sha256", "SUCCEEDED", "text", "SUCCEEDED"), false))
        .isEqualTo(new FileOutcome.Decision("COMPLETED", null));
  }

  @Test
  void aFailedTaskIsFailedNamingIt() {
    assertThat(
            FileOutcome.decide(
                Map.of("sha256", "SUCCEEDED", "thumbnail-128", "FAILED", "thumbnail-512", "FAILED"),
                false))
        .isEqualTo(new FileOutcome.Decision("FAILED", "TASK_FAILED: thumbnail-128, thumbnail-512"));
  }

  @Test
  void aTimeoutIsPartialWhenSomethingSucceededElseFailed() {
    assertThat(FileOutcome.decide(Map.of("sha256", "SUCCEEDED", "text", "REQUESTED"), true))
        .isEqualTo(new FileOutcome.Decision("PARTIAL", "TIMEOUT: no result for text"));
    assertThat(FileOutcome.decide(Map.of("sha256", "FAILED", "text", "REQUESTED"), true))
        .isEqualTo(new FileOutcome.Decision("FAILED", "TIMEOUT: no result for text"));
    assertThat(FileOutcome.decide(Map.of("text", "SUCCEEDED"), true))
        .isEqualTo(new FileOutcome.Decision("COMPLETED", null));
  }
}
