package io.eventhub.delivery;

/**
 * A record whose data can never be handled as it is (not JSON, or not matching its event type's
 * schema). Not transient: the record goes to the dead letter topic at once, with this message as
 * the reason. The message names fields, never their values, so it is safe to log.
 */
public class MalformedEventException extends IllegalArgumentException {

  public MalformedEventException(String message) {
    super(message);
  }
}
