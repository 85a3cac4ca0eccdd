package io.eventhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real server-sent events client: reads {@code id:}, {@code event:} and {@code data:} lines off
 * an open HTTP response on a thread of its own and keeps every event it got, in order.
 */
public final class SseClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One event as received: its id, its data as JSON, when it arrived ({@link System#nanoTime}). */
  public record Event(String id, String type, JsonNode data, long receivedNanos) {}

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final int status;
  private final InputStream body;
  private final Thread reader;
  private volatile boolean closed;

  private SseClient(HttpResponse<InputStream> response) {
    this.status = response.statusCode();
    this.body = response.body();
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    if (status == 200) {
      reader.start();
    }
  }

  /** Opens a stream; {@code lastEventId} null for none. */
  public static SseClient open(String url, String bearer, String lastEventId) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    try {
      return new SseClient(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return status;
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  /** The {@code messageId} of every event received, in order. */
  public List<String> messageIds() {
    return events.stream().map(e -> e.data().path("messageId").asText()).toList();
  }

  /** The body of a refused stream (a problem). */
  public String refusal() throws IOException {
    return new String(body.readAllBytes(), StandardCharsets.UTF_8);
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String type = null;
      StringBuilder data = new StringBuilder();
      String line;
      while (!closed && (line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            events.add(new Event(id, type, JSON.readTree(data.toString()), System.nanoTime()));
          }
          id = null;
          type = null;
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = line.substring(3).strip();
        } else if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).strip());
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    body.close();
  }
}
