package io.eventhub.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.eventhub.http.MainRouter;
import io.eventhub.intake.EventCatalog;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts every answer of {@code POST /api/events} by event type and status code ({@code
 * hub.intake.requests}), the door's 401/403 included: a handler on the main router ahead of the
 * routes, which reads the answer's status once it is written and the type from the request (the
 * {@code ce-type} header in binary mode, the event's {@code type} in structured mode, {@code batch}
 * for a batch). A type the catalog does not know is counted as {@code unknown}.
 */
final class IntakeMetrics extends EventNotifierSupport {

  static final String PATH = "/api/events";
  private static final JsonFactory JSON = new JsonFactory();

  private final CamelContext context;
  private final HubMeters meters;
  private volatile EventCatalog catalog;

  IntakeMetrics(CamelContext context, HubMeters meters) {
    this.context = context;
    this.meters = meters;
    setIgnoreCamelContextInitEvents(true);
  }

  @Override
  public boolean isEnabled(CamelEvent event) {
    return event instanceof CamelEvent.CamelContextRoutesStartingEvent;
  }

  @Override
  public void notify(CamelEvent event) {
    MainRouter.of(context)
        .ifPresent(router -> router.route(PATH).order(Integer.MIN_VALUE).handler(this::handle));
  }

  private void handle(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> meters.intake(typeOf(ctx), ctx.response().getStatusCode()));
    ctx.next();
  }

  private String typeOf(RoutingContext ctx) {
    String type = ctx.request().getHeader("ce-type");
    String contentType = ctx.request().getHeader("Content-Type");
    if (type == null && contentType != null && contentType.contains("cloudevents-batch")) {
      return "batch";
    }
    if (type == null && ctx.body() != null) {
      type = topLevelType(ctx.body().buffer());
    }
    return known(type) ? type : "unknown";
  }

  private boolean known(String type) {
    if (type == null) {
      return false;
    }
    if (catalog == null) {
      catalog = context.getRegistry().findSingleByType(EventCatalog.class);
    }
    return catalog != null && catalog.types().contains(type);
  }

  /** The value of the top-level "type" field of a JSON object, read as far as needed. */
  static String topLevelType(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try (JsonParser parser = JSON.createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
          return parser.getText();
        }
        parser.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }
}
