package io.eventhub.transactions;

import io.eventhub.delivery.TransientException;

/**
 * A row changed between the moment a transaction read it and the moment it wrote it (a version
 * compare-and-set that matched nothing, or a decision made concurrently): the transaction is rolled
 * back and run again.
 */
public class OptimisticConflict extends TransientException {

  public OptimisticConflict(String message) {
    super(message);
  }
}
