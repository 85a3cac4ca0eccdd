package io.eventhub.tracing;

import io.eventhub.Settings;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trace context through the hub (camel-opentelemetry2): every route makes spans, continues the W3C
 * {@code traceparent} it receives (HTTP headers, Kafka record headers) and passes its own on (Kafka
 * records, calls to outside services). Intake writes an event's {@code traceparent} extension as
 * the record's {@code traceparent} header and is itself left out of the sends it traces ({@value
 * #INTAKE_SENDS}), so a consumer continues the trace of the producer that made the event. Spans are
 * exported with OTLP (HTTP) only when {@code hub.tracing.otlp.endpoint} is set; otherwise they are
 * made for propagation only and dropped.
 */
public final class TracingBeans {

  /** The endpoint intake publishes with (routes/intake-events.camel.yaml): not traced. */
  public static final String INTAKE_SENDS = "kafka:intake*,kafka://intake*";

  private static final Logger LOG = LoggerFactory.getLogger(TracingBeans.class);

  private TracingBeans() {}

  public static void bind(CamelContext context, Settings settings) throws Exception {
    if (!settings.flag("hub.tracing.enabled")) {
      LOG.info("Tracing is off (hub.tracing.enabled=false)");
      return;
    }
    SdkTracerProviderBuilder provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.builder()
                                .put("service.name", settings.required("hub.tracing.service-name"))
                                .build())));
    String endpoint = settings.orBlank("hub.tracing.otlp.endpoint");
    if (!endpoint.isBlank()) {
      provider.addSpanProcessor(
          BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build())
              .build());
      LOG.info("Spans are exported with OTLP to {}", endpoint);
    }
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(provider.build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    context.getRegistry().bind("openTelemetryTracer", sdk.getTracer("camel-event-hub"));
    context.getRegistry().bind("openTelemetryPropagators", sdk.getPropagators());
    OpenTelemetryTracer tracer = new RememberingTracer();
    tracer.setExcludePatterns(INTAKE_SENDS);
    tracer.init(context);
    context.addService(
        new org.apache.camel.support.service.ServiceSupport() {
          @Override
          protected void doStop() {
            sdk.close();
          }
        });
  }

  /**
   * camel-telemetry asks {@link #exclude} for every exchange event (sending, sent, route start and
   * end) and answers by normalizing the endpoint URI against each pattern: about a tenth of an
   * intake request's CPU. The answer for a URI never changes, so it is remembered, for up to
   * {@value #REMEMBERED} URIs (the hub's endpoints are static; a dynamic one beyond that is still
   * asked).
   */
  static final class RememberingTracer extends OpenTelemetryTracer {

    static final int REMEMBERED = 10_000;

    private final Map<String, Boolean> excluded = new ConcurrentHashMap<>();

    @Override
    public boolean exclude(String endpointUri, CamelContext context) {
      Boolean known = excluded.get(endpointUri);
      if (known != null) {
        return known;
      }
      boolean answer = super.exclude(endpointUri, context);
      if (excluded.size() < REMEMBERED) {
        excluded.put(endpointUri, answer);
      }
      return answer;
    }
  }
}
