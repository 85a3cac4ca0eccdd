package io.eventhub.http;

import java.util.Map;

/**
 * A client error with what the client needs to fix it, answered as RFC 9457 problem details. Its
 * message is shown to the client, so it never carries internal details.
 */
public class ProblemException extends RuntimeException {

  private final int status;
  private final String title;
  private final Map<String, Object> extensions;

  public ProblemException(int status, String title, String detail) {
    this(status, title, detail, Map.of());
  }

  public ProblemException(int status, String title, String detail, Map<String, Object> extensions) {
    super(detail);
    this.status = status;
    this.title = title;
    this.extensions = Map.copyOf(extensions);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }
}
