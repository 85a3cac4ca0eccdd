package io.eventhub.routelint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Camel's visual editors drop comments when they save a route file, so what a route is for is in
 * its {@code description:}: every route, route template (and the route it makes) and route
 * configuration of routes/ has one. A templated route cannot have one in Camel 4.18's YAML DSL: it
 * gets its template's.
 */
class RouteDescriptionsTest {

  static List<Path> routeFiles() throws IOException {
    return ReliabilityLintTest.routeFiles();
  }

  @ParameterizedTest
  @MethodSource("routeFiles")
  void everyRouteSaysWhatItIsFor(Path file) throws IOException {
    Object yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    for (Object item : (List<?>) yaml) {
      Map<?, ?> entry = (Map<?, ?>) item;
      for (String kind : List.of("route", "routeTemplate", "routeConfiguration")) {
        if (entry.get(kind) instanceof Map<?, ?> definition) {
          assertThat(definition.get("description"))
              .as(file + ": the description of " + kind + " " + definition.get("id"))
              .asString()
              .isNotBlank();
          if (definition.get("route") instanceof Map<?, ?> made) {
            assertThat(made.get("description"))
                .as(
                    file
                        + ": the description of the route template "
                        + definition.get("id")
                        + " makes")
                .asString()
                .isNotBlank();
          }
        }
      }
    }
  }
}
