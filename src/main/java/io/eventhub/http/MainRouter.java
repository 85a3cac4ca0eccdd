package io.eventhub.http;

import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The Vert.x router of the hub's main HTTP server (the one platform-http runs; /observe shares it),
 * where handlers that the REST DSL cannot express are added: the API door, uploads, the live
 * streams. Present once the routes are starting.
 */
public final class MainRouter {

  private MainRouter() {}

  public static Optional<VertxPlatformHttpRouter> of(CamelContext context) {
    return context.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
        .filter(VertxPlatformHttpRouter::isMainServer)
        .findFirst();
  }
}
