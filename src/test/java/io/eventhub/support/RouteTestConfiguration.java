package io.eventhub.support;

import io.eventhub.HubConfiguration;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;

/**
 * The hub's configuration as a route test runs it: the real PostgreSQL of this test JVM ({@link
 * TestEngines}), no Kafka (route tests replace the consumers and mock the producers), no topics to
 * create, a free HTTP port, and the API open (no credentials). A test's own
 * {@code @CamelMainTest(properties = ...)} win over these defaults.
 */
public class RouteTestConfiguration extends HubConfiguration {

  static final Map<String, String> DEFAULTS =
      Map.of(
          // nothing listens there: a route test that reached Kafka would fail, not pass
          "camel.component.kafka.brokers", "127.0.0.1:1",
          "hub.kafka.create-topics", "false",
          "hub.http.port", "0",
          // route tests send to direct: endpoints, past the API's door, which ApiAccessIT tests
          "hub.security.open", "true");

  @Override
  public void configure(CamelContext context) throws Exception {
    TestEngines.startPostgres();
    PropertiesComponent properties = (PropertiesComponent) context.getPropertiesComponent();
    Properties own = properties.getOverrideProperties();
    DEFAULTS.forEach(
        (key, value) -> {
          if (own == null || !own.containsKey(key)) {
            properties.addOverrideProperty(key, value);
          }
        });
    super.configure(context);
  }
}
