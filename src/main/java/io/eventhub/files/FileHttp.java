package io.eventhub.files;

import io.eventhub.http.MainRouter;
import io.eventhub.http.Problems;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the two file endpoints that platform-http cannot serve on its Vert.x router, once it runs
 * and before any route starts; the API's door (first on the router) guards both:
 *
 * <ul>
 *   <li>{@code POST /api/files}: platform-http either buffers a body up to the server's limit
 *       ({@code camel.server.max-body-size}, 1 MiB, for every route) or streams it but then refuses
 *       multipart. Here the body is read up to the upload's own limit ({@code hub.files.max-bytes}
 *       plus the multipart framing; 413 beyond it, without reading the rest) and handed to the
 *       route {@code direct:upload-file} (routes/files-api.camel.yaml), whose answer is sent back.
 *   <li>{@code GET /api/files/{id}/events}: the status stream ({@link FileEventStream}).
 * </ul>
 */
public class FileHttp extends EventNotifierSupport {

  private static final Logger LOG = LoggerFactory.getLogger(FileHttp.class);

  private final CamelContext context;
  private final FileEventStream events;
  private final Problems problems;
  private final long maxBodyBytes;
  private ProducerTemplate producer;

  public FileHttp(
      CamelContext context, FileEventStream events, Problems problems, long maxBodyBytes) {
    this.context = context;
    this.events = events;
    this.problems = problems;
    this.maxBodyBytes = maxBodyBytes;
    setIgnoreCamelContextInitEvents(true);
  }

  @Override
  public boolean isEnabled(CamelEvent event) {
    return event instanceof CamelEvent.CamelContextRoutesStartingEvent;
  }

  @Override
  public void notify(CamelEvent event) {
    VertxPlatformHttpRouter router = MainRouter.of(context).orElse(null);
    if (router == null) {
      LOG.warn("No platform-http router: POST /api/files and its status stream are not served");
      return;
    }
    producer = context.createProducerTemplate();
    router.post("/api/files").handler(this::upload);
    router.get("/api/files/:id/events").handler(events);
  }

  private void upload(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    request.handler(
        chunk -> {
          if (refused[0]) {
            return;
          }
          if (body.length() + chunk.length() > maxBodyBytes) {
            refused[0] = true;
            ctx.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(
                    problems.json(
                        413,
                        "Payload Too Large",
                        "The upload is larger than " + maxBodyBytes + " bytes.",
                        "/api/files"))
                .onComplete(done -> request.connection().close());
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        end -> {
          if (refused[0]) {
            return;
          }
          Exchange exchange = new DefaultExchange(context);
          exchange.getMessage().setBody(body.getBytes());
          String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
          if (contentType != null) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
          }
          String name = request.getParam("name");
          if (name != null) {
            exchange.getMessage().setHeader("name", name);
          }
          producer
              .asyncSend("direct:upload-file", exchange)
              .whenComplete(
                  (done, failure) ->
                      ctx.vertx()
                          .runOnContext(
                              v -> {
                                if (failure != null || done.getException() != null) {
                                  ctx.fail(500, failure != null ? failure : done.getException());
                                  return;
                                }
                                answer(ctx, done);
                              }));
        });
    request.exceptionHandler(ctx::fail);
    request.resume();
  }

  private static void answer(RoutingContext ctx, Exchange done) {
    Integer status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    String contentType = done.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
    String body = done.getMessage().getBody(String.class);
    ctx.response().setStatusCode(status == null ? 200 : status);
    if (contentType != null) {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    ctx.response().end(body == null ? "" : body);
  }
}
