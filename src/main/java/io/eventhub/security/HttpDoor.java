package io.eventhub.security;

import io.eventhub.http.MainRouter;
import io.eventhub.http.Problems;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.Field;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits the hub's rules onto the platform-http server once it runs and before any route starts: the
 * {@link ApiAccess} door in front of every route, and problem+json for the errors the server makes
 * itself — 404 (no route), 405 (a route, not for this method), 413 (body over {@code
 * camel.server.max-body-size}), 400 and 500 on the router; 414 (request line too long) and 431
 * (headers too large) are answered by Vert.x's HTTP decoder before any router sees the request,
 * through the server's invalid-request handler, which Vert.x captures when the server starts
 * listening, so it is replaced in the running server (see docs/decisions.md).
 */
public final class HttpDoor extends EventNotifierSupport {

  private static final Logger LOG = LoggerFactory.getLogger(HttpDoor.class);
  static final List<Integer> ROUTER_ERRORS = List.of(400, 404, 405, 413, 415, 500);

  private final CamelContext context;
  private final ApiAccess access;
  private final Problems problems;

  public HttpDoor(CamelContext context, ApiAccess access, Problems problems) {
    this.context = context;
    this.access = access;
    this.problems = problems;
    setIgnoreCamelContextInitEvents(true);
  }

  @Override
  public boolean isEnabled(CamelEvent event) {
    return event instanceof CamelEvent.CamelContextRoutesStartingEvent;
  }

  @Override
  public void notify(CamelEvent event) {
    // the router of the main server (the management endpoints share it on the same port)
    VertxPlatformHttpRouter router = MainRouter.of(context).orElse(null);
    if (router == null) {
      LOG.warn("No platform-http router: the API door and problem answers are not installed");
      return;
    }
    // before every route of the platform-http consumers and of /observe, whatever their order
    router.route().order(Integer.MIN_VALUE).handler(access);
    HttpServer server = router.getServer().getServer();
    List<Router> routers =
        server.requestHandler() instanceof Router main ? List.of(router, main) : List.of(router);
    for (Router r : routers) {
      for (int status : ROUTER_ERRORS) {
        r.errorHandler(status, ctx -> answer(ctx, status));
      }
    }
    replaceInvalidRequestHandler(server, this::answerInvalid);
  }

  private void answer(RoutingContext ctx, int status) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    String detail =
        switch (status) {
          case 404 -> "There is nothing at this path.";
          case 405 -> "This path does not take the method " + ctx.request().method() + ".";
          case 413 -> "The body is larger than the server accepts.";
          case 415 -> "The server does not take this content type here.";
          case 400 -> "The request is not valid.";
          default -> "The request could not be processed.";
        };
    if (status == 500 && ctx.failure() != null) {
      LOG.error("Request failed in the HTTP server", ctx.failure());
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
        .end(problems.json(status, title(status), detail, pathOf(ctx)));
  }

  /** The request's path, or none when it cannot be decoded (a bad percent-encoding: 400). */
  private static String pathOf(RoutingContext ctx) {
    try {
      return ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Vert.x's own rules for a request its decoder refused, answered as problems. */
  private void answerInvalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String detail;
    if (cause instanceof TooLongFrameException
        && cause.getMessage() != null
        && cause.getMessage().startsWith("An HTTP line is larger than")) {
      status = 414;
      detail = "The request line (method, path and query) is longer than the server accepts.";
    } else if (cause instanceof TooLongFrameException
        && cause.getMessage() != null
        && cause.getMessage().startsWith("HTTP header is larger than")) {
      status = 431;
      detail = "The request headers are larger than the server accepts.";
    } else {
      status = 400;
      detail = "The request is not valid HTTP.";
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
        .end(problems.json(status, title(status), detail, null));
  }

  private static String title(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase();
  }

  /**
   * Vert.x reads {@code HttpServer.invalidRequestHandler} only when the server starts listening,
   * which platform-http does with Vert.x's default (an empty 414/431). The handler it captured is
   * replaced here; a Vert.x whose insides differ keeps its default and says so in the log (the
   * tests of 414 and 431 then fail).
   */
  private static void replaceInvalidRequestHandler(
      HttpServer server, Handler<HttpServerRequest> handler) {
    try {
      Object worker = field(server, "childHandler");
      Object connections = field(worker, "connectionHandler");
      Field invalid = connections.getClass().getDeclaredField("invalidRequestHandler");
      invalid.setAccessible(true);
      invalid.set(connections, handler);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("414 and 431 stay Vert.x's empty answers, not problems: {}", e.toString());
    }
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(name + " in " + owner.getClass().getName());
  }
}
