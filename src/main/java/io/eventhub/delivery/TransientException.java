package io.eventhub.delivery;

/** A failure that another attempt may not meet, such as an optimistic-locking conflict. */
public class TransientException extends RuntimeException {

  public TransientException(String message) {
    super(message);
  }
}
