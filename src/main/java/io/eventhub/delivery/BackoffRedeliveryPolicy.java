package io.eventhub.delivery;

import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

/**
 * Camel's redelivery policy for the consumers' dead letter channel, waiting by the hub's one {@link
 * Backoff} (from {@code redeliveryDelay} doubling up to {@code maximumRedeliveryDelay}, a random
 * {@code jitter} part of it off) instead of Camel's own formula. Whether to retry at all is {@link
 * TransientFailures}' decision.
 */
public class BackoffRedeliveryPolicy extends RedeliveryPolicy {

  private double jitter = 0.3;

  @Override
  public long calculateRedeliveryDelay(long previousDelay, int redeliveryCounter) {
    return new Backoff(getRedeliveryDelay(), getMaximumRedeliveryDelay(), jitter)
        .delayMs(redeliveryCounter);
  }

  public void setJitter(double jitter) {
    this.jitter = jitter;
  }

  public double getJitter() {
    return jitter;
  }
}
