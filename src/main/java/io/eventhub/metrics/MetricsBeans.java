package io.eventhub.metrics;

import io.eventhub.Settings;
import io.eventhub.transactions.TransactionReruns;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The hub's metrics ({@code /observe/metrics}, names under {@code hub_}; README "Operations"): the
 * one Prometheus registry, bound as {@code metricsRegistry} before Camel's metrics look for it, so
 * Camel's series and the hub's share it; the delivery counters ({@link DeliveryMetrics}), intake
 * answers ({@link IntakeMetrics}), lag, dead letters and pending aggregations ({@link
 * BacklogGauges}); and {@code opsOverview}, the dashboard's JSON. Callback verifiers count their
 * outcomes through {@link HubMeters#callbackOutcomes}; transaction reruns count themselves.
 */
public final class MetricsBeans {

  private MetricsBeans() {}

  public static HubMeters bind(CamelContext context, Settings settings, DataSource dataSource)
      throws Exception {
    Registry beans = context.getRegistry();
    MeterRegistry registry = beans.lookupByNameAndType(HubMeters.REGISTRY, MeterRegistry.class);
    if (registry == null) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      beans.bind(HubMeters.REGISTRY, registry);
    }
    HubMeters meters = new HubMeters(registry);
    beans.bind("hubMeters", meters);
    DeliveryMetrics delivery = new DeliveryMetrics(meters);
    context.getManagementStrategy().addEventNotifier(delivery);
    context.getManagementStrategy().addEventNotifier(new IntakeMetrics(context, meters));
    BacklogGauges backlog =
        new BacklogGauges(
            context, registry, dataSource, settings.longValue("hub.metrics.refresh-ms"));
    OpsOverview overview = new OpsOverview(context, registry, backlog);
    beans.bind("opsOverview", overview);
    context.addStartupListener(
        new StartupListener() {
          @Override
          public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {}

          @Override
          public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
            List<ConsumerRoutes.Consumer> consumers = ConsumerRoutes.of(ctx);
            delivery.describe(consumers);
            overview.consumers(consumers);
            ctx.getRegistry()
                .findByType(TransactionReruns.class)
                .forEach(TransactionReruns::describeMeters);
            backlog.start(consumers);
          }
        });
    context.addService(
        new ServiceSupport() {
          @Override
          protected void doStop() {
            backlog.stop();
          }
        });
    return meters;
  }
}
