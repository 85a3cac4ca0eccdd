package io.eventhub.delivery;

import io.eventhub.engines.Topics;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetPropertyDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The dead letter topics, derived from the routes rather than listed by hand. A Kafka consumer
 * route that opts into the delivery conventions ({@code routeConfigurationId: kafka-consumer})
 * names its service in the exchange property {@code hubService}, set as a constant among its first
 * steps (routes/consumer-templates.camel.yaml does it for templated routes); what it cannot process
 * goes to {@code <topic>.<service>.dlq} for each topic it consumes
 * (routes/delivery-conventions.camel.yaml). As a {@link StartupListener}, it creates those topics
 * once the routes are loaded, before any of them starts.
 */
public class DeadLetterTopics implements StartupListener {

  private static final String CONVENTIONS = "kafka-consumer";
  private static final String SERVICE = "hubService";

  private final String brokers;

  /**
   * @param brokers the Kafka bootstrap servers the topics are created on
   */
  public DeadLetterTopics(String brokers) {
    this.brokers = brokers;
  }

  @Override
  public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
    if (!alreadyStarted) {
      Topics.ensure(
          brokers,
          of(context),
          List.of(),
          Integer.parseInt(context.resolvePropertyPlaceholders("{{hub.kafka.partitions}}")),
          Short.parseShort(
              context.resolvePropertyPlaceholders("{{hub.kafka.replication-factor}}")));
    }
  }

  /** The dead letter topics of the Kafka consumer routes of {@code context}, sorted. */
  public static SortedSet<String> of(CamelContext context) {
    SortedSet<String> topics = new TreeSet<>();
    Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
    for (RouteDefinition route : model.getRouteDefinitions()) {
      String uri = resolve(context, route, route.getInput().getEndpointUri());
      String configurations = route.getRouteConfigurationId();
      if (!uri.startsWith("kafka:")
          || configurations == null
          || !List.of(configurations.split(",")).contains(CONVENTIONS)) {
        continue;
      }
      String service = resolve(context, route, serviceOf(route));
      String path = uri.substring("kafka:".length()).split("\\?")[0];
      for (String topic : path.split(",")) {
        topics.add(topic.trim() + "." + service + ".dlq");
      }
    }
    return topics;
  }

  private static String serviceOf(RouteDefinition route) {
    for (ProcessorDefinition<?> step : route.getOutputs()) {
      if (step instanceof SetPropertyDefinition property
          && SERVICE.equals(property.getName())
          && constant(property) != null) {
        return constant(property);
      }
    }
    throw new IllegalStateException(
        "Route "
            + route.getRouteId()
            + " consumes from Kafka with the delivery conventions but sets no constant "
            + SERVICE
            + ": its dead letter topic cannot be named");
  }

  private static String constant(ExpressionNode step) {
    ExpressionDefinition expression = step.getExpression();
    return expression != null && "constant".equals(expression.getLanguage())
        ? expression.getExpression()
        : null;
  }

  /** Resolves property placeholders as the route sees them: with its template's parameters. */
  private static String resolve(CamelContext context, RouteDefinition route, String text) {
    Map<String, Object> parameters = route.getTemplateParameters();
    if (parameters == null || parameters.isEmpty()) {
      return context.resolvePropertyPlaceholders(text);
    }
    PropertiesComponent properties = context.getPropertiesComponent();
    Properties local = new Properties();
    local.putAll(parameters);
    properties.setLocalProperties(local);
    try {
      return context.resolvePropertyPlaceholders(text);
    } finally {
      properties.setLocalProperties(null);
    }
  }
}
