package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.RouteTestConfiguration;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/**
 * routes/ops-dashboard.camel.yaml: the overview the dashboard polls, as JSON, and the page's three
 * files from the jar.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/ops-dashboard.camel.yaml",
      "hub.metrics.refresh-ms=0"
    })
class OpsDashboardRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:ops-overview")
  ProducerTemplate overview;

  @Test
  void theOverviewIsJsonWithTheFlowPendingWorkAndIntake() throws Exception {
    var answer = overview.request("direct:ops-overview", e -> {});

    assertThat(answer.getMessage().getHeader("Content-Type")).isEqualTo("application/json");
    JsonNode body = JSON.readTree(answer.getMessage().getBody(String.class));
    assertThat(body.has("flow")).isTrue();
    assertThat(body.has("services")).isTrue();
    assertThat(body.get("pending").has("orders")).isTrue();
    assertThat(body.get("pending").has("files")).isTrue();
    assertThat(body.has("intake")).isTrue();
  }

  @Test
  void thePageAndItsScriptAndStyleAreServedFromTheJar() {
    assertThat(overview.getCamelContext().getRoute("dashboard-page")).isNotNull();
    assertThat(getClass().getClassLoader().getResource("dashboard/index.html")).isNotNull();
    assertThat(getClass().getClassLoader().getResource("dashboard/dashboard.js")).isNotNull();
    assertThat(getClass().getClassLoader().getResource("dashboard/dashboard.css")).isNotNull();
  }
}
