package io.eventhub.routelint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every send to Kafka in routes/ waits for its acknowledgement on the sending thread ({@code
 * synchronous=true}, docs/decisions.md, Throughput), and no Kafka consumer sets it: the option on
 * the component would reach the consumers too, so each producer endpoint carries it.
 */
class KafkaSendsTest {

  record Endpoint(Path file, String step, String uri, Object parameters) {
    boolean synchronous() {
      return uri.matches(".*[?&]synchronous=true(&.*)?")
          || (parameters instanceof Map<?, ?> map
              && "true".equals(String.valueOf(map.get("synchronous"))));
    }
  }

  @Test
  void everyKafkaSendIsSynchronousAndNoConsumerIs() throws IOException {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Path file : ReliabilityLintTest.routeFiles()) {
      Object yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
      collect(file, yaml, endpoints);
    }
    List<Endpoint> sends = endpoints.stream().filter(e -> e.step().equals("to")).toList();
    List<Endpoint> consumers = endpoints.stream().filter(e -> e.step().equals("from")).toList();
    // the hub's sends: intake, the callbacks, files, chat, inventory, the saga, dead letters
    assertThat(sends).hasSizeGreaterThanOrEqualTo(10);
    assertThat(consumers).isNotEmpty();
    assertThat(sends).allMatch(Endpoint::synchronous, "synchronous");
    assertThat(consumers).noneMatch(Endpoint::synchronous, "synchronous");
  }

  private static void collect(Path file, Object node, List<Endpoint> into) {
    if (node instanceof Map<?, ?> map) {
      for (String step : List.of("to", "from")) {
        if (map.get(step) instanceof Map<?, ?> endpoint
            && endpoint.get("uri") instanceof String uri
            && uri.startsWith("kafka:")) {
          into.add(new Endpoint(file, step, uri, endpoint.get("parameters")));
        }
      }
      map.values().forEach(value -> collect(file, value, into));
    } else if (node instanceof List<?> list) {
      list.forEach(value -> collect(file, value, into));
    }
  }
}
