package io.eventhub.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /api/files/{id}/events}: the file's status as server-sent events ({@code event:
 * status}, the status and each task's state as JSON), one when the stream opens and one on each
 * change, ending once the file is final. It is a handler on the Vert.x router platform-http runs
 * (no SSE component is served for Camel 4.18), installed by {@link FileHttp}, so the API's door
 * ({@code io.eventhub.security.ApiAccess}, first on the router) guards it like the rest of {@code
 * /api}. Changes are read from PostgreSQL, so a stream sees the callbacks any hub instance applied.
 */
public class FileEventStream implements Handler<RoutingContext> {

  private final FileResults results;
  private final ObjectMapper mapper;
  private final Problems problems;
  private final long pollMs;

  public FileEventStream(FileResults results, ObjectMapper mapper, Problems problems, long pollMs) {
    this.results = results;
    this.mapper = mapper;
    this.problems = problems;
    this.pollMs = pollMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String fileId = ctx.pathParam("id");
    HttpServerResponse response = ctx.response();
    AtomicReference<String> last = new AtomicReference<>();
    ctx.vertx()
        .executeBlocking(() -> results.status(fileId), false)
        .onComplete(
            first -> {
              if (first.failed()) {
                ctx.fail(500, first.cause());
                return;
              }
              if (first.result() == null) {
                response
                    .setStatusCode(404)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                    .end(
                        problems.json(
                            404,
                            "Not Found",
                            "There is no file with this id.",
                            ctx.normalizedPath()));
                return;
              }
              response
                  .setChunked(true)
                  .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                  .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
              if (send(response, first.result(), last)) {
                return;
              }
              long timer =
                  ctx.vertx()
                      .setPeriodic(
                          pollMs,
                          id ->
                              ctx.vertx()
                                  .executeBlocking(() -> results.status(fileId), false)
                                  .onComplete(
                                      next -> {
                                        if (response.ended() || response.closed()) {
                                          ctx.vertx().cancelTimer(id);
                                        } else if (next.failed() || next.result() == null) {
                                          ctx.vertx().cancelTimer(id);
                                          response.end();
                                        } else if (send(response, next.result(), last)) {
                                          ctx.vertx().cancelTimer(id);
                                        }
                                      }));
              response.closeHandler(v -> ctx.vertx().cancelTimer(timer));
            });
  }

  /** Sends the status when it changed; true when the file is final and the stream ended. */
  private boolean send(
      HttpServerResponse response, Map<String, Object> status, AtomicReference<String> last) {
    String json;
    try {
      json = mapper.writeValueAsString(status);
    } catch (Exception e) {
      response.end();
      return true;
    }
    if (!json.equals(last.getAndSet(json))) {
      response.write("event: status\ndata: " + json + "\n\n");
    }
    if (FileOutcome.isFinal((String) status.get("status"))) {
      response.end();
      return true;
    }
    return false;
  }
}
