package io.eventhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.HubConfiguration;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The hub as it runs in production (camel-main, the YAML routes, the top-level properties), started
 * inside the test JVM on a free HTTP port with the given properties on top, and with the API client
 * {@code test} ({@link Http#TEST_TOKEN}, admin role).
 */
public final class HubRunner implements AutoCloseable {

  /** Every outside service the routes call; production requires each URL. */
  public static final List<String> SERVICES =
      List.of("shipping", "payments", "notification", "recommendation", "push");

  private final Main main = new Main();
  private final int port = TestEngines.freePort();

  public HubRunner(Map<String, String> properties) throws Exception {
    main.configure().addConfiguration(HubConfiguration.class);
    Map<String, String> all = new LinkedHashMap<>();
    all.put("hub.http.port", String.valueOf(port));
    // one client with every right, whose token Http sends unless a test sends its own
    all.put("hub.security.clients", "test");
    all.put("hub.security.tokens.test.token", Http.TEST_TOKEN);
    all.put("hub.security.tokens.test.roles", "admin");
    // services a test does not name: the hub's own port, where no stand-in runs (404, dead letter)
    for (String service : SERVICES) {
      all.put("hub.services." + service + ".url", url("/stand-ins/" + service));
    }
    all.putAll(properties);
    all.forEach(main::addOverrideProperty);
    main.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /**
   * This event's record in the service's dead letters, as {@code GET /api/dlq/{service}} lists it,
   * or null when there is none.
   */
  public JsonNode deadLetter(String service, String eventId) throws Exception {
    List<JsonNode> records = deadLetters(service, eventId);
    return records.isEmpty() ? null : records.get(0);
  }

  /**
   * This event's records in the service's dead letters (one per route that dead-lettered it), page
   * by page.
   */
  public List<JsonNode> deadLetters(String service, String eventId) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    String next = null;
    do {
      String path = "/api/dlq/" + service + "?limit=1000" + (next == null ? "" : "&after=" + next);
      HttpResponse<String> list = Http.get(url(path));
      if (list.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + list.statusCode());
      }
      JsonNode page = new ObjectMapper().readTree(list.body());
      for (JsonNode record : page.get("records")) {
        if (eventId.equals(record.path("eventId").asText())) {
          found.add(record);
        }
      }
      next = page.hasNonNull("next") ? page.get("next").asText() : null;
    } while (next != null);
    return found;
  }

  public CamelContext context() {
    return main.getCamelContext();
  }

  @Override
  public void close() throws Exception {
    main.stop();
  }
}
