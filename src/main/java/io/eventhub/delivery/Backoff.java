package io.eventhub.delivery;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before another try, the one formula for every retry the hub makes: the delay doubles
 * with each try from {@code initialMs} up to {@code maxMs}, and a random part of it is jitter, so
 * callers that failed together do not come back together. {@code jitter} is that part: 0.5 waits
 * between half and all of the doubled delay.
 */
public record Backoff(long initialMs, long maxMs, double jitter) {

  public Backoff {
    initialMs = Math.max(1, initialMs);
    maxMs = Math.max(initialMs, maxMs);
    jitter = Math.min(1, Math.max(0, jitter));
  }

  /** The wait before try {@code failures + 1}, after {@code failures} (at least 1) failed tries. */
  public long delayMs(int failures) {
    long ceiling = Math.min(maxMs, initialMs << Math.min(Math.max(failures, 1) - 1, 20));
    long random = (long) (ceiling * jitter);
    return ceiling - random + ThreadLocalRandom.current().nextLong(random + 1);
  }
}
