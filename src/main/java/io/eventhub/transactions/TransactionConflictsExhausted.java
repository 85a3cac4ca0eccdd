package io.eventhub.transactions;

/**
 * A transaction still met conflicts after its last allowed run. Deliberately not transient and
 * without the conflict as its cause: the delivery retries must not multiply the runs, the event
 * goes to the dead letter topic with this message as the reason.
 */
public class TransactionConflictsExhausted extends RuntimeException {

  public TransactionConflictsExhausted(String message) {
    super(message);
  }
}
