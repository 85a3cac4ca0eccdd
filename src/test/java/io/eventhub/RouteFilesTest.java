package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every route file is valid against Camel's YAML DSL schema (shipped in camel-yaml-dsl), follows
 * the naming convention, and has a test that loads it.
 */
class RouteFilesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonSchema schema;
  private static String testSources;
  private static final Properties PROPERTIES = new Properties();

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in =
        RouteFilesTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
      assertThat(in).as("camel-yaml-dsl ships its schema").isNotNull();
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
    }
    // required keys (service URLs) have no default; the dev profile gives them a value
    try (InputStream in = Files.newInputStream(Path.of("application-dev.properties"))) {
      PROPERTIES.load(in);
    }
    try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
      PROPERTIES.load(in);
    }
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        all.append(Files.readString(file));
      }
    }
    testSources = all.toString();
  }

  static List<Path> routeFiles() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("routes"))) {
      return files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("routeFiles")
  void isValidCamelYaml(Path file) throws IOException {
    Object yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    JsonNode routes = JSON.valueToTree(resolvePlaceholders(yaml, templateNames(yaml)));

    Set<ValidationMessage> errors = schema.validate(routes);

    assertThat(errors).as(file + " against Camel's YAML DSL schema").isEmpty();
  }

  /**
   * A value that is only a {{placeholder}} is checked with its default from application.properties,
   * as Camel sees it at run time (a required key without a default: with its dev profile value); a
   * route template's parameters and local beans are left as they are.
   */
  private static Object resolvePlaceholders(Object yaml, Set<String> templateNames) {
    if (yaml instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, resolvePlaceholders(v, templateNames)));
      return copy;
    }
    if (yaml instanceof List<?> list) {
      return list.stream().map(item -> resolvePlaceholders(item, templateNames)).toList();
    }
    if (yaml instanceof String text
        && text.matches("\\{\\{[^}]+}}")
        && !templateNames.contains(text.substring(2, text.length() - 2))) {
      String value = PROPERTIES.getProperty(text.substring(2, text.length() - 2));
      assertThat(value).as("default of " + text + " in application(-dev).properties").isNotNull();
      return value;
    }
    return yaml;
  }

  /** The names of the parameters and local beans of the route templates in a route file. */
  private static Set<String> templateNames(Object yaml) {
    Set<String> names = new HashSet<>();
    if (yaml instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> map && map.get("routeTemplate") instanceof Map<?, ?> t) {
          for (String part : List.of("parameters", "beans")) {
            if (t.get(part) instanceof List<?> entries) {
              entries.forEach(e -> names.add(String.valueOf(((Map<?, ?>) e).get("name"))));
            }
          }
        }
      }
    }
    return names;
  }

  @ParameterizedTest
  @MethodSource("routeFiles")
  void hasARouteTestThatLoadsIt(Path file) {
    String name = file.toString().replace('\\', '/');
    assertThat(testSources).as("a test loads " + name).contains("file:" + name);
  }

  /**
   * Tests have more components on their classpath than the runner (camel-test brings some), so
   * every component a route uses must be a runtime dependency in the pom.
   */
  @ParameterizedTest
  @MethodSource("routeFiles")
  void everyComponentItUsesIsARuntimeDependency(Path file) throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher uri = Pattern.compile("uri: \"?([a-z-]+):").matcher(Files.readString(file));
    while (uri.find()) {
      String scheme = uri.group(1);
      String artifact =
          scheme.equals("platform-http") ? "camel-platform-http-main" : "camel-" + scheme;
      assertThat(pom)
          .as(
              file
                  + " uses "
                  + scheme
                  + ": "
                  + artifact
                  + " must be a dependency outside test scope")
          .containsPattern("<artifactId>" + artifact + "</artifactId></dependency>");
    }
  }

  @ParameterizedTest
  @MethodSource("routeFiles")
  void aConsumerRouteIsNamedForItsServiceAndEvent(Path file) throws IOException {
    String base = file.getFileName().toString().replace(".camel.yaml", "");
    if (base.contains("-on-")) {
      // a route's id, or the id a templated route gives the route it makes
      assertThat(Files.readString(file)).containsPattern("\\b(id|routeId): " + base + "\n");
    }
  }
}
