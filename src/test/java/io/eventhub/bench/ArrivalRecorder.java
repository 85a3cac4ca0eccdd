package io.eventhub.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventhub.delivery.EventIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in shipping service that answers 200 at once and records when each event (the id in the
 * Idempotency-Key) first arrived, in {@link System#nanoTime()} of this JVM.
 */
final class ArrivalRecorder implements AutoCloseable {

  static {
    // without TCP_NODELAY the JDK server waits ~40 ms on every small answer (Nagle + delayed ACK)
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(8);
  private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
  private static final byte[] OK = "{}".getBytes(StandardCharsets.UTF_8);

  ArrivalRecorder() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(workers);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long now = System.nanoTime();
    exchange.getRequestBody().readAllBytes();
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    if (key != null) {
      arrivals.putIfAbsent(EventIdentity.parse(key).id(), now);
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, OK.length);
    exchange.getResponseBody().write(OK);
    exchange.close();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** When the event first reached the service (nanoTime), or null. */
  Long arrival(String eventId) {
    return arrivals.get(eventId);
  }

  int count() {
    return arrivals.size();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
