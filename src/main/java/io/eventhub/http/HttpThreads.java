package io.eventhub.http;

import io.eventhub.Settings;
import io.vertx.core.VertxOptions;
import org.apache.camel.spi.Registry;

/**
 * The threads of the hub's HTTP server. platform-http runs every route on a Vert.x worker thread,
 * which waits there for PostgreSQL and for the broker's acknowledgement: the worker pool ({@code
 * hub.http.worker-threads}) bounds how many requests are in flight at once. Bound as the {@link
 * VertxOptions} platform-http creates its Vert.x instance with.
 */
public final class HttpThreads {

  private HttpThreads() {}

  public static void bind(Registry registry, Settings settings) {
    int workers = settings.integer("hub.http.worker-threads");
    if (workers < 1 || workers > 1000) {
      throw new IllegalStateException(
          "hub.http.worker-threads must be between 1 and 1000, not " + workers);
    }
    registry.bind("hubHttpThreads", new VertxOptions().setWorkerPoolSize(workers));
  }
}
