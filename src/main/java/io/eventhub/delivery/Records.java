package io.eventhub.delivery;

/**
 * The default reader of the consumer templates (routes/consumer-templates.camel.yaml): it leaves
 * the record as consumed, for services that take the event as it is.
 */
public class Records {

  /** Leaves the message as it is. */
  public void asIs() {
    // the record is the event
  }
}
