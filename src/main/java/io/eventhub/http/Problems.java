package io.eventhub.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.reliability.Outages;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the exception an HTTP route caught into an RFC 9457 {@code application/problem+json}
 * answer. Client errors say what is wrong; anything else is a 500 with a reference to the log line,
 * never a stack trace.
 */
public class Problems {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** Retry-After of a 503 while an engine is down: a few health checks' time. */
  static final int RETRY_AFTER_SECONDS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private final ObjectMapper mapper;

  public Problems(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public void render(Exchange exchange) throws JsonProcessingException {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    ProblemException problem = find(cause);
    Message in = exchange.getMessage();
    String path = in.getHeader(Exchange.HTTP_PATH, String.class);
    Map<String, Object> body = new LinkedHashMap<>();
    boolean outage =
        problem == null && (Outages.isDatabaseOutage(cause) || Outages.isBrokerOutage(cause));
    if (outage) {
      // PostgreSQL or Kafka down: nothing was accepted, the client sends it again later
      LOG.warn(
          "Request to {} refused, an engine is down: {}", LogSafe.text(path), cause.toString());
      body.put("type", "about:blank");
      body.put("title", "Service Unavailable");
      body.put("status", 503);
      body.put(
          "detail",
          "The hub cannot reach its database or broker right now; nothing was accepted. Send it"
              + " again after "
              + RETRY_AFTER_SECONDS
              + " seconds.");
    } else if (problem != null) {
      body.put("type", "about:blank");
      body.put("title", problem.title());
      body.put("status", problem.status());
      body.put("detail", problem.getMessage());
      body.putAll(problem.extensions());
    } else {
      String reference = UUID.randomUUID().toString();
      LOG.error("Request to {} failed (reference {})", LogSafe.text(path), reference, cause);
      body.put("type", "about:blank");
      body.put("title", "Internal Server Error");
      body.put("status", 500);
      body.put("detail", "The request could not be processed; quote reference " + reference);
    }
    if (path != null) {
      body.put("instance", path);
    }
    in.removeHeaders("*");
    in.setHeader(Exchange.HTTP_RESPONSE_CODE, body.get("status"));
    in.setHeader(Exchange.CONTENT_TYPE, MEDIA_TYPE);
    if (outage) {
      in.setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    }
    in.setBody(mapper.writeValueAsString(body));
  }

  private static ProblemException find(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ProblemException p) {
        return p;
      }
    }
    return null;
  }

  /** A problem answer the HTTP server writes itself, outside any route. */
  public String json(int status, String title, String detail, String instance) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    if (instance != null) {
      body.put("instance", instance);
    }
    try {
      return mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
