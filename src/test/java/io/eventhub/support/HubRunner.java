package io.eventhub.support;

import io.eventhub.HubConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The hub as it runs in production (camel-main, the YAML routes, the top-level properties), started
 * inside the test JVM on a free HTTP port with the given properties on top.
 */
public final class HubRunner implements AutoCloseable {

  private final Main main = new Main();
  private final int port = TestEngines.freePort();

  public HubRunner(Map<String, String> properties) throws Exception {
    main.configure().addConfiguration(HubConfiguration.class);
    Map<String, String> all = new LinkedHashMap<>();
    all.put("camel.server.port", String.valueOf(port));
    all.putAll(properties);
    all.forEach(main::addOverrideProperty);
    main.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public CamelContext context() {
    return main.getCamelContext();
  }

  @Override
  public void close() throws Exception {
    main.stop();
  }
}
