package io.eventhub.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventhub.delivery.EventIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for an outside service (shipping, notification, ...). It records
 * every call and answers with the status it is told to.
 */
public final class FakeService implements AutoCloseable {

  /** One request as the service received it (traceparent: its W3C trace context header). */
  public record Call(
      String path,
      String contentType,
      String idempotencyKey,
      String body,
      int answered,
      String traceparent) {

    /** The event id in the Idempotency-Key (the hub sends the event's source and id). */
    public String eventId() {
      return idOf(idempotencyKey);
    }
  }

  private static String idOf(String idempotencyKey) {
    try {
      return idempotencyKey == null ? null : EventIdentity.parse(idempotencyKey).id();
    } catch (IllegalArgumentException e) {
      return idempotencyKey;
    }
  }

  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger received = new AtomicInteger();
  private volatile long latencyMillis;
  private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(4);
  private final Map<String, int[]> failing = new ConcurrentHashMap<>();
  private volatile boolean holding;
  private final List<String> held = new CopyOnWriteArrayList<>();

  static {
    // without TCP_NODELAY the JDK server waits ~40 ms on every small answer (Nagle + delayed ACK)
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  public FakeService() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(workers);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    received.incrementAndGet();
    if (holding) {
      // a service that hangs: the call stays open, unanswered, until the server stops
      held.add(idOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
      return;
    }
    long latency = latencyMillis;
    if (latency > 0) {
      // a slow service: the answer goes out this much later, from another thread
      workers.schedule(() -> answer(exchange, body), latency, TimeUnit.MILLISECONDS);
    } else {
      answer(exchange, body);
    }
  }

  private void answer(HttpExchange exchange, byte[] body) {
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    int[] budget = key == null ? null : failing.get(idOf(key));
    int answer = status.get();
    if (budget != null) {
      synchronized (budget) {
        if (budget[0] > 0) {
          budget[0]--;
          answer = budget[1];
        }
      }
    }
    calls.add(
        new Call(
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            key,
            new String(body, StandardCharsets.UTF_8),
            answer,
            exchange.getRequestHeaders().getFirst("traceparent")));
    byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
    try {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer, reply.length);
      exchange.getResponseBody().write(reply);
    } catch (IOException e) {
      // the caller went away; it will try again
    }
    exchange.close();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** From now on, take this long to answer each call. */
  public void latency(Duration latency) {
    latencyMillis = latency.toMillis();
  }

  /**
   * From now on, hold every call open without an answer (and without recording it as a call), as a
   * service that hangs does.
   */
  public void holdCalls() {
    holding = true;
  }

  /** From now on, answer calls again (those held stay unanswered). */
  public void stopHolding() {
    holding = false;
  }

  /** The event ids (Idempotency-Key's id part) of the calls held open so far. */
  public List<String> heldEventIds() {
    return List.copyOf(held);
  }

  /** From now on, answer every call with this status. */
  public void answer(int httpStatus) {
    status.set(httpStatus);
  }

  /** Answer the next {@code count} calls for this event (Idempotency-Key) with this status. */
  public void answerNext(String eventId, int count, int httpStatus) {
    failing.put(eventId, new int[] {count, httpStatus});
  }

  /**
   * Requests received so far, answered or not: more than {@link #calls()} while a slow answer is
   * still on its way.
   */
  public int received() {
    return received.get();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls for this event id (from any source: the Idempotency-Key's id part). */
  public List<Call> callsFor(String eventId) {
    return calls.stream().filter(c -> eventId.equals(c.eventId())).toList();
  }

  /** The calls for this event, its source and id (the whole Idempotency-Key). */
  public List<Call> callsFor(String source, String eventId) {
    String key = EventIdentity.key(source, eventId);
    return calls.stream().filter(c -> key.equals(c.idempotencyKey())).toList();
  }

  /** The calls for this event the service accepted with a 2xx. */
  public long acceptedFor(String eventId) {
    return callsFor(eventId).stream().filter(c -> c.answered() / 100 == 2).count();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
