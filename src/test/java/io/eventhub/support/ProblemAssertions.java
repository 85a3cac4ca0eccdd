package io.eventhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/** Checks that a route answered with an RFC 9457 problem. */
public final class ProblemAssertions {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ProblemAssertions() {}

  /** The answer is a problem+json with this status and a detail saying what is wrong. */
  public static JsonNode assertProblem(Exchange answer, int status) throws Exception {
    assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
        .isEqualTo(status);
    assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE))
        .isEqualTo("application/problem+json");
    JsonNode problem = JSON.readTree(answer.getMessage().getBody(String.class));
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asText()).isNotBlank();
    return problem;
  }
}
