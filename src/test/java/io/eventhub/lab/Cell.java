package io.eventhub.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One cell of the contention benchmark: {@code clients} threads reserve orders back to back for a
 * fixed time, each order timed from the call to its answer.
 */
final class Cell {

  /** Reserves one order (the next number); false when it gave up after its last run. */
  interface Reserve {
    boolean order(long number) throws Exception;
  }

  /** What a cell measured. */
  record Result(long orders, long gaveUp, double perSecond, double p50Ms, double p99Ms) {}

  private Cell() {}

  static Result run(int clients, long millis, Reserve reserve) throws Exception {
    AtomicLong next = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    long[] counts = new long[clients];
    long[] gaveUp = new long[clients];
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[2];
    Exception[] failure = new Exception[1];
    for (int i = 0; i < clients; i++) {
      int client = i;
      long[] mine = new long[1 << 16];
      latencies.add(mine);
      Thread t =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                  long deadline = window[0] + TimeUnit.MILLISECONDS.toNanos(millis);
                  long[] own = mine;
                  int n = 0;
                  while (System.nanoTime() < deadline) {
                    long start = System.nanoTime();
                    boolean done = reserve.order(next.getAndIncrement());
                    long took = System.nanoTime() - start;
                    if (n == own.length) {
                      own = Arrays.copyOf(own, n * 2);
                      latencies.set(client, own);
                    }
                    own[n++] = took;
                    if (!done) {
                      gaveUp[client]++;
                    }
                  }
                  counts[client] = n;
                } catch (Exception e) {
                  failure[0] = e;
                }
              },
              "lab-client-" + i);
      threads.add(t);
      t.start();
    }
    ready.await();
    window[0] = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    window[1] = System.nanoTime();
    if (failure[0] != null) {
      throw failure[0];
    }
    long total = Arrays.stream(counts).sum();
    long[] all = new long[(int) total];
    int at = 0;
    for (int i = 0; i < clients; i++) {
      System.arraycopy(latencies.get(i), 0, all, at, (int) counts[i]);
      at += (int) counts[i];
    }
    Arrays.sort(all);
    double seconds = (window[1] - window[0]) / 1e9;
    return new Result(
        total,
        Arrays.stream(gaveUp).sum(),
        total / seconds,
        percentile(all, 0.50),
        percentile(all, 0.99));
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
