package io.eventhub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The one backoff formula: doubling from the first wait up to the maximum, minus the jitter. */
class BackoffTest {

  @RepeatedTest(20)
  void theWaitDoublesUpToTheMaximumAndJitterOnlyShortensIt() {
    Backoff backoff = new Backoff(100, 1000, 0.5);

    assertThat(backoff.delayMs(1)).isBetween(50L, 100L);
    assertThat(backoff.delayMs(2)).isBetween(100L, 200L);
    assertThat(backoff.delayMs(3)).isBetween(200L, 400L);
    assertThat(backoff.delayMs(5)).isBetween(500L, 1000L);
    assertThat(backoff.delayMs(60)).isBetween(500L, 1000L);
  }

  @Test
  void withoutJitterTheWaitIsExact() {
    Backoff backoff = new Backoff(5, 20, 0);

    assertThat(backoff.delayMs(1)).isEqualTo(5);
    assertThat(backoff.delayMs(2)).isEqualTo(10);
    assertThat(backoff.delayMs(4)).isEqualTo(20);
  }

  @RepeatedTest(10)
  void theDeadLetterChannelWaitsByTheSameFormula() {
    BackoffRedeliveryPolicy policy = new BackoffRedeliveryPolicy();
    policy.setRedeliveryDelay(500);
    policy.setMaximumRedeliveryDelay(10000);

    assertThat(policy.calculateRedeliveryDelay(0, 1)).isBetween(350L, 500L);
    assertThat(policy.calculateRedeliveryDelay(500, 3)).isBetween(1400L, 2000L);
    assertThat(policy.calculateRedeliveryDelay(0, 10)).isBetween(7000L, 10000L);
    assertThat(policy.copy())
        .as("Camel copies the policy per route")
        .isInstanceOf(BackoffRedeliveryPolicy.class);
  }
}
