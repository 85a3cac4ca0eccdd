package io.eventhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A small HTTP client for tests that talk to the hub as a client would. Every request carries the
 * bearer token {@link #TEST_TOKEN}, which {@link HubRunner} gives every right, unless the test
 * sends an Authorization header of its own; {@link #send} sends a request exactly as built.
 */
public final class Http {

  /** The token of the client {@code test}, with the admin role, in every {@link HubRunner}. */
  public static final String TEST_TOKEN = "test-token";

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  public static HttpResponse<String> post(String url, String contentType, String body) {
    return post(url, contentType, body, Map.of());
  }

  public static HttpResponse<String> post(
      String url, String contentType, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return withToken(request, headers);
  }

  public static HttpResponse<String> put(String url, String contentType, String body) {
    return withToken(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .PUT(HttpRequest.BodyPublishers.ofString(body)),
        Map.of());
  }

  public static HttpResponse<String> get(String url) {
    return withToken(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET(), Map.of());
  }

  private static HttpResponse<String> withToken(
      HttpRequest.Builder request, Map<String, String> headers) {
    if (headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
      request.header("Authorization", "Bearer " + TEST_TOKEN);
    }
    return send(request.build());
  }

  /** Sends the request as it is, with no token added. */
  public static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
