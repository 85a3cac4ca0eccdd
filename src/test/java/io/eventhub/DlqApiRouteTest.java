package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.delivery.DeadLetters;
import io.eventhub.support.RouteTestConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.ReplaceInRegistry;
import org.junit.jupiter.api.Test;

/**
 * routes/dlq-api.camel.yaml: the HTTP side of listing and replaying dead letters, with the Kafka
 * side (DeadLetters) replaced by one that records what it was asked. The Kafka side runs for real
 * in ShippingSliceIT.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/dlq-api.camel.yaml"
    })
class DlqApiRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ASKED = new ArrayList<>();

  @ReplaceInRegistry
  DeadLetters deadLetters =
      new DeadLetters() {
        @Override
        public Map<String, Object> list(String service, Integer limit, String after) {
          ASKED.add("list " + service);
          return Map.of("service", service, "count", 0, "records", List.of());
        }

        @Override
        public Map<String, Object> replay(String service) throws Exception {
          ASKED.add("replay " + service);
          if (service.equals("broken")) {
            throw new IllegalStateException("broker gone");
          }
          return Map.of("service", service, "replayed", 3);
        }
      };

  @Produce("direct:list-dead-letters")
  ProducerTemplate list;

  @Produce("direct:replay-dead-letters")
  ProducerTemplate replay;

  @Test
  void listsTheDeadLettersOfTheServiceInThePath() throws Exception {
    Exchange answer = list.send(e -> e.getMessage().setHeader("service", "shipping"));

    assertThat(ASKED).contains("list shipping");
    assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
    JsonNode body = JSON.readTree(answer.getMessage().getBody(String.class));
    assertThat(body.get("service").asText()).isEqualTo("shipping");
    assertThat(body.get("records").isArray()).isTrue();
  }

  @Test
  void replaySaysHowManyWereReplayed() throws Exception {
    Exchange answer = replay.send(e -> e.getMessage().setHeader("service", "shipping"));

    assertThat(ASKED).contains("replay shipping");
    assertThat(JSON.readTree(answer.getMessage().getBody(String.class)).get("replayed").asInt())
        .isEqualTo(3);
  }

  @Test
  void aFailedReplayIsAProblemWithoutInternals() throws Exception {
    Exchange answer = replay.send(e -> e.getMessage().setHeader("service", "broken"));

    assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(500);
    assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE))
        .isEqualTo("application/problem+json");
    assertThat(answer.getMessage().getBody(String.class)).doesNotContain("broker gone");
  }
}
