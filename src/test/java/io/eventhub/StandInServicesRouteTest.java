package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.RouteTestConfiguration;
import java.util.Map;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/** routes/dev/stand-in-services.camel.yaml: the dev profile's outside services. */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    properties = {"camel.main.routes-include-pattern=file:routes/dev/stand-in-services.camel.yaml"})
class StandInServicesRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:stand-in-receive")
  ProducerTemplate receive;

  @Produce("direct:stand-in-received")
  ProducerTemplate received;

  @Test
  void remembersWhatEachServiceReceivedAndMarksRepeatedKeys() throws Exception {
    String call = "{\"id\":\"evt-1\",\"type\":\"OrderCreated\"}";
    Map<String, Object> headers = Map.of("service", "shipping", "Idempotency-Key", "evt-1");

    JsonNode first =
        JSON.readTree(
            receive.requestBodyAndHeaders("direct:stand-in-receive", call, headers, String.class));
    JsonNode again =
        JSON.readTree(
            receive.requestBodyAndHeaders("direct:stand-in-receive", call, headers, String.class));
    JsonNode seen =
        JSON.readTree(
            received.requestBodyAndHeader(
                "direct:stand-in-received", "", "service", "shipping", String.class));

    assertThat(first.get("duplicate").asBoolean()).isFalse();
    assertThat(again.get("duplicate").asBoolean()).isTrue();
    assertThat(seen.get("count").asInt()).isEqualTo(2);
    assertThat(seen.at("/calls/0/body").asText()).isEqualTo(call);
    assertThat(seen.at("/calls/0/idempotencyKey").asText()).isEqualTo("evt-1");
  }
}
