package io.eventhub.security;

import io.eventhub.http.ProblemException;
import io.eventhub.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/**
 * The one door of {@code /api/*} (and of {@code /observe/metrics} when protected): a handler on the
 * platform-http router that runs before any route. A request without a known bearer token is
 * answered 401, one whose credential lacks the right 403, both as problem+json that never say which
 * part was wrong. What a request needs:
 *
 * <ul>
 *   <li>{@code GET}/{@code HEAD /api/<area>/...}: the read of that area ({@code orders}, {@code
 *       inventory}, {@code users}, {@code analytics}, {@code dlq}, ...);
 *   <li>{@code POST /api/events}: the right to publish some type; the type itself is checked by
 *       {@link #checkPublish} once intake has read the event;
 *   <li>{@code POST /api/files}: the right to publish {@code FileUploaded};
 *   <li>any other method ({@code PUT /api/inventory/{sku}}, {@code POST /api/dlq/{service}/replay},
 *       ...): the {@code admin} role, which allows everything.
 * </ul>
 *
 * The client let in is handed to the routes as the exchange's authenticated user.
 */
public class ApiAccess implements Handler<RoutingContext> {

  public static final String CALLER = "caller";
  static final String UNAUTHORIZED =
      "The request needs a valid bearer token: Authorization: Bearer <token>.";
  static final String FORBIDDEN = "The credential does not allow this request.";
  private static final String METRICS = "/observe/metrics";
  private static final String OPENAPI = "/api/openapi.json";
  private static final String DOCS = "/api/docs";

  private final Credentials credentials;
  private final boolean open;
  private final boolean metricsProtected;
  private final Problems problems;
  private final PersonalData personalData;

  public ApiAccess(
      Credentials credentials,
      boolean open,
      boolean metricsProtected,
      Problems problems,
      PersonalData personalData) {
    this.credentials = credentials;
    this.open = open;
    this.metricsProtected = metricsProtected;
    this.problems = problems;
    this.personalData = personalData;
  }

  /** Whether the door checks nothing ({@code hub.security.open=true}). */
  public boolean open() {
    return open;
  }

  /**
   * Whether this path is behind the door. The API's description ({@code /api/openapi.json}) and
   * Swagger UI ({@code /api/docs}) are not: they hold no data, a browser opening the docs sends no
   * token, and Swagger UI's "Authorize" then adds the token to the calls it tries.
   */
  public boolean guards(String path) {
    return path != null
        && !isApiDescription(path)
        && (path.equals("/api")
            || path.startsWith("/api/")
            || (metricsProtected && path.equals(METRICS)));
  }

  /** {@code /api/openapi.json}, {@code /api/docs} and its files. */
  static boolean isApiDescription(String path) {
    return path.equals(OPENAPI)
        || path.equals(DOCS)
        || (path.startsWith(DOCS + "/") && path.indexOf('/', DOCS.length() + 1) < 0);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path;
    try {
      path = ctx.normalizedPath();
    } catch (IllegalArgumentException badEncoding) {
      // a path that cannot be decoded (%ZZ) names nothing: 400, as a problem (HttpDoor)
      ctx.fail(400);
      return;
    }
    if (open || !guards(path)) {
      ctx.next();
      return;
    }
    Optional<Credential> caller =
        credentials.byToken(bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)));
    if (caller.isEmpty()) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      refuse(ctx, 401, "Unauthorized", UNAUTHORIZED);
    } else if (!allows(caller.get(), ctx.request().method(), path)) {
      refuse(ctx, 403, "Forbidden", FORBIDDEN);
    } else {
      ctx.setUser(User.fromName(caller.get().client()));
      ctx.next();
    }
  }

  /** Whether the credential allows this method on this path (see the class comment). */
  static boolean allows(Credential credential, HttpMethod method, String path) {
    if (credential.admin()) {
      return true;
    }
    if (path.equals(METRICS)) {
      return credential.mayRead("metrics");
    }
    String rest = path.length() > "/api/".length() ? path.substring("/api/".length()) : "";
    String area = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
    if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
      return !area.isEmpty() && credential.mayRead(area);
    }
    if (HttpMethod.POST.equals(method) && path.equals("/api/files")) {
      // an upload publishes FileUploaded
      return credential.mayPublish("FileUploaded");
    }
    return HttpMethod.POST.equals(method)
        && path.equals("/api/events")
        && credential.mayPublishAnything();
  }

  /** The token of an {@code Authorization: Bearer <token>} header, or null. */
  static String bearer(String authorization) {
    if (authorization == null || authorization.length() < 7) {
      return null;
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  private void refuse(RoutingContext ctx, int status, String title, String detail) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
        .end(problems.json(status, title, detail, ctx.normalizedPath()));
  }

  // --- in the routes, after the door ---

  /** Keeps the client the door let in as the exchange property {@value #CALLER}. */
  public void rememberCaller(Exchange exchange) {
    Object user = exchange.getMessage().getHeader(VertxPlatformHttpConstants.AUTHENTICATED_USER);
    if (user instanceof User u && u.principal() != null) {
      credentials
          .byClient(u.principal().getString("username"))
          .ifPresent(c -> exchange.setProperty(CALLER, c));
    }
  }

  /**
   * Refuses (403) an event whose type the caller may not publish; a request that did not come
   * through the door has no caller and is refused too, unless the hub runs open.
   */
  public void checkPublish(Exchange exchange) {
    if (open) {
      return;
    }
    Credential caller = exchange.getProperty(CALLER, Credential.class);
    String type = exchange.getMessage().getHeader("ce_type", String.class);
    if (caller == null || !caller.mayPublish(type)) {
      throw new ProblemException(403, "Forbidden", FORBIDDEN);
    }
  }

  /** The same for every type of a batch (CloudEvents batch mode): all may be published, or 403. */
  public void checkPublishTypes(Exchange exchange, java.util.Collection<String> types) {
    if (open) {
      return;
    }
    Credential caller = exchange.getProperty(CALLER, Credential.class);
    if (caller == null || !types.stream().allMatch(caller::mayPublish)) {
      throw new ProblemException(403, "Forbidden", FORBIDDEN);
    }
  }

  /**
   * Redacts the personal fields of the listed dead letters (the body {@code {"records": [...]}} of
   * {@code DeadLetters.list}) unless the caller has the admin role or the hub runs open.
   */
  @SuppressWarnings("unchecked")
  public void redactDeadLetters(Exchange exchange) {
    rememberCaller(exchange);
    Credential caller = exchange.getProperty(CALLER, Credential.class);
    if (open || (caller != null && caller.admin())) {
      return;
    }
    Map<String, Object> listing = exchange.getMessage().getBody(Map.class);
    Map<String, Object> redacted = new LinkedHashMap<>(listing);
    List<Map<String, Object>> records = (List<Map<String, Object>>) listing.get("records");
    redacted.put(
        "records",
        records.stream()
            .map(
                record -> {
                  Map<String, Object> copy = new LinkedHashMap<>(record);
                  copy.put("value", personalData.redact((String) record.get("value")));
                  return copy;
                })
            .toList());
    redacted.put("redacted", personalData.fields());
    exchange.getMessage().setBody(redacted);
  }
}
