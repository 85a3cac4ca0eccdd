package io.eventhub.metrics;

import io.eventhub.intake.EventCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetPropertyDefinition;

/**
 * The Kafka consumer routes as the metrics and the dashboard see them: each route's service (its
 * {@code hubService}), consumer group, topics and the event types it handles (its template's {@code
 * eventTypes}, or every type of its topics).
 */
final class ConsumerRoutes {

  private static final String SERVICE = "hubService";
  private static final Pattern CHECK = Pattern.compile("check\\(\\*,\\s*'([^'{}]*)'\\)");

  record Consumer(
      String routeId, String service, String group, List<String> topics, List<String> types) {}

  private ConsumerRoutes() {}

  static List<Consumer> of(CamelContext context) {
    EventCatalog catalog = context.getRegistry().findSingleByType(EventCatalog.class);
    Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
    List<Consumer> consumers = new ArrayList<>();
    for (Route route : context.getRoutes()) {
      if (!(route.getEndpoint() instanceof KafkaEndpoint kafka)) {
        continue;
      }
      RouteDefinition definition =
          model == null ? null : model.getRouteDefinition(route.getRouteId());
      String service = definition == null ? null : serviceOf(context, definition);
      if (service == null) {
        continue;
      }
      List<String> topics =
          Arrays.stream(kafka.getConfiguration().getTopic().split(",")).map(String::trim).toList();
      Object declared =
          definition.getTemplateParameters() == null
              ? null
              : definition.getTemplateParameters().get("eventTypes");
      List<String> types;
      String checked = checkedTypes(definition);
      if (declared != null) {
        types = Arrays.stream(declared.toString().split(",")).map(String::trim).toList();
      } else if (checked != null) {
        types = Arrays.stream(checked.split(",")).map(String::trim).toList();
      } else if (catalog != null) {
        types =
            catalog.types().stream()
                .filter(t -> topics.contains(catalog.route(t).topic()))
                .sorted()
                .toList();
      } else {
        types = List.of();
      }
      consumers.add(
          new Consumer(
              route.getRouteId(), service, kafka.getConfiguration().getGroupId(), topics, types));
    }
    return consumers;
  }

  /** The types of the route's own type check step, {@code check(*, 'A,B')}, or null. */
  private static String checkedTypes(RouteDefinition route) {
    for (ProcessorDefinition<?> step : route.getOutputs()) {
      if (step instanceof BeanDefinition bean
          && "eventTypes".equals(bean.getRef())
          && bean.getMethod() != null) {
        Matcher types = CHECK.matcher(bean.getMethod());
        if (types.matches()) {
          return types.group(1);
        }
      }
    }
    return null;
  }

  private static String serviceOf(CamelContext context, RouteDefinition route) {
    Map<String, Object> parameters = route.getTemplateParameters();
    if (parameters != null && parameters.get("service") != null) {
      return parameters.get("service").toString();
    }
    for (ProcessorDefinition<?> step : route.getOutputs()) {
      if (step instanceof SetPropertyDefinition property
          && SERVICE.equals(property.getName())
          && constant(property) != null) {
        return context.resolvePropertyPlaceholders(constant(property));
      }
    }
    return null;
  }

  private static String constant(ExpressionNode step) {
    var expression = step.getExpression();
    return expression != null && "constant".equals(expression.getLanguage())
        ? expression.getExpression()
        : null;
  }
}
