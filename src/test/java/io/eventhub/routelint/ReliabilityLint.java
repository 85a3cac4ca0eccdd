package io.eventhub.routelint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The reliability rules every Kafka consumer route follows, read from the YAML route files (a
 * templated route is checked as the route its template makes):
 *
 * <ul>
 *   <li>{@link Rule#GROUP_ID}: the consumer has a group id of its own, shared with no other
 *       consumer route (each service keeps its own offsets);
 *   <li>{@link Rule#ERROR_HANDLING}: it opts into the delivery conventions ({@code
 *       routeConfigurationId: kafka-consumer}, a routeConfiguration with a dead letter channel) and
 *       has no error handler of its own that would override them;
 *   <li>{@link Rule#INBOX}: a redelivered record has no second effect: the route, or a route it
 *       reaches through {@code direct:}, has an {@code idempotentConsumer} with a repository,
 *       claims the inbox in its own transaction ({@code sql/inbox/claim.sql}), inserts keyed by the
 *       event with {@code on conflict (..event_id) do nothing}, or calls a bean of {@link
 *       #IDEMPOTENT_BEANS} whose source shows how it keeps its own idempotency; or the route is in
 *       {@link #WITHOUT_INBOX}, with the reason it needs none.
 * </ul>
 */
public final class ReliabilityLint {

  /** The rules, as named in the lint's messages. */
  public enum Rule {
    GROUP_ID,
    ERROR_HANDLING,
    INBOX
  }

  /** A broken rule: the route file, the route and what is wrong. */
  public record Violation(Path file, String routeId, Rule rule, String detail) {
    @Override
    public String toString() {
      return file + ": route " + routeId + " breaks " + rule + ": " + detail;
    }
  }

  /** What a bean's source must say for the bean to count as keeping its own idempotency. */
  record Evidence(String how, Map<String, String> filesContaining) {}

  /** Bean calls (ref.method) that keep their own idempotency, with where the lint checks it. */
  static final Map<String, Evidence> IDEMPOTENT_BEANS =
      Map.of(
          "orderSaga.apply",
          new Evidence(
              "claims the inbox row (sql/inbox/claim.sql) in the saga's transaction",
              Map.of("src/main/java/io/eventhub/orders/OrderSaga.java", "sql(\"inbox/claim\")")),
          "chatMessages.moderate",
          new Evidence(
              "stores each message once by its messageId, with its verdict and outbox row",
              Map.of(
                  "src/main/java/io/eventhub/chat/ChatMessages.java",
                  "sql(\"chat/insert-message\")",
                  "src/main/resources/sql/chat/insert-message.sql",
                  "on conflict (message_id) do nothing")),
          "profileCache.update",
          new Evidence(
              "replaces a profile only by a newer version, guarded in PostgreSQL",
              Map.of(
                  "src/main/java/io/eventhub/profile/ProfileBeans.java",
                  "new VersionGuardedProfileCache(",
                  "src/main/resources/sql/profile/put-if-newer.sql",
                  "where profile_versions.version < excluded.version")));

  /** Processors (ref) that run a direct: route from Java, with where the lint checks it. */
  static final Map<String, Evidence> JAVA_HOPS =
      Map.of(
          "reserveStockReruns",
          new Evidence(
              "direct:reserve-stock-transaction",
              Map.of(
                  "src/main/java/io/eventhub/inventory/InventoryBeans.java",
                  "\"direct:reserve-stock-transaction\"")),
          "releaseStockReruns",
          new Evidence(
              "direct:release-stock-transaction",
              Map.of(
                  "src/main/java/io/eventhub/inventory/InventoryBeans.java",
                  "\"direct:release-stock-transaction\"")));

  /** Consumer routes deliberately without an inbox, and why none is needed. */
  static final Map<String, String> WITHOUT_INBOX =
      Map.of(
          "live-delivery-on-chat-message-moderated",
          "a group of each instance's own, read from the end: its only effect is a push to this"
              + " instance's SSE connections, which send each message number once and fill gaps"
              + " from PostgreSQL; an inbox row per instance and message would only grow",
          "file-tasks-on-file-uploaded",
          "its only effect is FileTaskRequested records whose ids are one per (file, task): a"
              + " redelivery publishes the same ids, which the processors and the aggregator"
              + " take as duplicates",
          "file-processor-on-file-task-requested",
          "it keeps no state: a redelivered task is done again and its signed callback is a"
              + " duplicate for the aggregator, which records it and changes nothing"
              + " (FileResults)");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");
  private static final Pattern EVENT_KEYED_INSERT =
      Pattern.compile("(?is)on conflict \\(([^)]*\\b)?event_id\\) do nothing");

  private final Path root;
  private final Properties properties = new Properties();
  private final Map<String, Template> templates = new LinkedHashMap<>();
  private final Map<String, Declared> directRoutes = new LinkedHashMap<>();
  private final List<Declared> routes = new ArrayList<>();
  private final Map<String, Map<?, ?>> routeConfigurations = new LinkedHashMap<>();

  private List<String> consumerIds = List.of();

  private record Template(Path file, Map<?, ?> template) {}

  private record Declared(Path file, String id, Map<?, ?> route, String template) {}

  /**
   * @param root the project folder: application(-dev).properties and the bean sources are read from
   *     it
   * @param files the route files to check together (templates and direct: routes they share)
   */
  public static List<Violation> check(Path root, List<Path> files) {
    ReliabilityLint lint = new ReliabilityLint(root);
    files.forEach(lint::read);
    return lint.check();
  }

  /** The ids of the Kafka consumer routes in these files (templated routes included). */
  public static List<String> consumerRoutes(Path root, List<Path> files) {
    ReliabilityLint lint = new ReliabilityLint(root);
    files.forEach(lint::read);
    lint.check();
    return lint.consumerIds;
  }

  private ReliabilityLint(Path root) {
    this.root = root;
    // a group id given as a property is checked as its value (the dev profile's for required keys)
    for (String name : List.of("application-dev.properties", "application.properties")) {
      try (InputStream in = Files.newInputStream(root.resolve(name))) {
        properties.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void read(Path file) {
    Object yaml;
    try {
      yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!(yaml instanceof List<?> items)) {
      return;
    }
    for (Object item : items) {
      if (!(item instanceof Map<?, ?> entry)) {
        continue;
      }
      if (entry.get("routeTemplate") instanceof Map<?, ?> t) {
        templates.put(String.valueOf(t.get("id")), new Template(file, t));
      }
      if (entry.get("routeConfiguration") instanceof Map<?, ?> c) {
        routeConfigurations.put(String.valueOf(c.get("id")), c);
      }
      if (entry.get("route") instanceof Map<?, ?> r) {
        add(new Declared(file, String.valueOf(r.get("id")), r, null));
      }
      if (entry.get("templatedRoute") instanceof Map<?, ?> tr) {
        Template template = templates.get(String.valueOf(tr.get("routeTemplateRef")));
        if (template == null) {
          // the template is in a file read later: resolved in check()
          routes.add(new Declared(file, String.valueOf(tr.get("routeId")), tr, "?"));
        } else {
          add(instantiate(file, tr, template));
        }
      }
    }
  }

  private void add(Declared route) {
    routes.add(route);
    String from = fromUri(route.route());
    if (from != null && from.startsWith("direct:")) {
      directRoutes.put(from, route);
    }
  }

  /** The route a template makes for a templated route: its parameters put in. */
  private Declared instantiate(Path file, Map<?, ?> templatedRoute, Template template) {
    Map<String, String> values = new LinkedHashMap<>();
    if (template.template().get("parameters") instanceof List<?> parameters) {
      for (Object p : parameters) {
        Map<?, ?> parameter = (Map<?, ?>) p;
        if (parameter.get("defaultValue") != null) {
          values.put(String.valueOf(parameter.get("name")), str(parameter.get("defaultValue")));
        }
      }
    }
    if (templatedRoute.get("parameters") instanceof List<?> parameters) {
      for (Object p : parameters) {
        Map<?, ?> parameter = (Map<?, ?>) p;
        values.put(String.valueOf(parameter.get("name")), str(parameter.get("value")));
      }
    }
    Object route = substitute(template.template().get("route"), values);
    return new Declared(
        file,
        String.valueOf(templatedRoute.get("routeId")),
        (Map<?, ?>) route,
        String.valueOf(template.template().get("id")));
  }

  /** Template parameters put into the route, twice (a default may name another parameter). */
  private static Object substitute(Object yaml, Map<String, String> values) {
    if (yaml instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, substitute(v, values)));
      return copy;
    }
    if (yaml instanceof List<?> list) {
      return list.stream().map(item -> substitute(item, values)).toList();
    }
    if (yaml instanceof String text) {
      for (int round = 0; round < 2; round++) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
          String value = values.getOrDefault(m.group(1), m.group());
          m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        text = out.toString();
      }
      return text;
    }
    return yaml;
  }

  private List<Violation> check() {
    List<Violation> violations = new ArrayList<>();
    List<Declared> resolved = new ArrayList<>();
    for (Declared route : routes) {
      if ("?".equals(route.template())) {
        Template template = templates.get(String.valueOf(route.route().get("routeTemplateRef")));
        if (template == null) {
          violations.add(
              new Violation(
                  route.file(),
                  route.id(),
                  Rule.ERROR_HANDLING,
                  "its template "
                      + route.route().get("routeTemplateRef")
                      + " is in none of the files read, so nothing can be checked"));
          continue;
        }
        Declared made = instantiate(route.file(), route.route(), template);
        String from = fromUri(made.route());
        if (from != null && from.startsWith("direct:")) {
          directRoutes.put(from, made);
        }
        resolved.add(made);
      } else {
        resolved.add(route);
      }
    }
    List<Declared> consumers =
        resolved.stream()
            .filter(r -> String.valueOf(fromUri(r.route())).startsWith("kafka:"))
            .toList();
    Map<String, Declared> groups = new LinkedHashMap<>();
    for (Declared consumer : consumers) {
      checkGroupId(consumer, groups, violations);
      checkErrorHandling(consumer, violations);
      checkInbox(consumer, violations);
    }
    consumerIds = consumers.stream().map(Declared::id).toList();
    return violations;
  }

  private void checkGroupId(
      Declared consumer, Map<String, Declared> groups, List<Violation> violations) {
    Map<?, ?> from = (Map<?, ?>) consumer.route().get("from");
    String group = null;
    if (from.get("parameters") instanceof Map<?, ?> parameters
        && parameters.get("groupId") != null) {
      group = str(parameters.get("groupId"));
    }
    Matcher inUri = Pattern.compile("[?&]groupId=([^&]+)").matcher(fromUri(consumer.route()));
    if (group == null && inUri.find()) {
      group = inUri.group(1);
    }
    if (group == null || group.isBlank()) {
      violations.add(
          new Violation(
              consumer.file(),
              consumer.id(),
              Rule.GROUP_ID,
              "no groupId: the consumer would share the component's group with other services"
                  + " and their offsets"));
      return;
    }
    String value = resolveProperty(group);
    Declared other = groups.putIfAbsent(value, consumer);
    if (other != null) {
      violations.add(
          new Violation(
              consumer.file(),
              consumer.id(),
              Rule.GROUP_ID,
              "its groupId "
                  + value
                  + " is also the group of route "
                  + other.id()
                  + " ("
                  + other.file()
                  + "): each consumer route needs a group of its own"));
    }
  }

  private void checkErrorHandling(Declared consumer, List<Violation> violations) {
    String configurations = str(consumer.route().get("routeConfigurationId"));
    boolean optsIn =
        configurations != null
            && List.of(configurations.split(",")).stream()
                .map(String::trim)
                .anyMatch("kafka-consumer"::equals);
    if (!optsIn) {
      violations.add(
          new Violation(
              consumer.file(),
              consumer.id(),
              Rule.ERROR_HANDLING,
              "no routeConfigurationId: kafka-consumer (retries with backoff, then the dead letter"
                  + " topic, offsets committed after)"));
      return;
    }
    Map<?, ?> conventions = routeConfigurations.get("kafka-consumer");
    if (conventions == null
        || !(conventions.get("errorHandler") instanceof Map<?, ?> handler)
        || !handler.containsKey("deadLetterChannel")) {
      violations.add(
          new Violation(
              consumer.file(),
              consumer.id(),
              Rule.ERROR_HANDLING,
              "the routeConfiguration kafka-consumer it opts into has no deadLetterChannel"));
    }
    if (consumer.route().containsKey("errorHandler")) {
      violations.add(
          new Violation(
              consumer.file(),
              consumer.id(),
              Rule.ERROR_HANDLING,
              "an errorHandler of its own overrides the kafka-consumer conventions"));
    }
  }

  private void checkInbox(Declared consumer, List<Violation> violations) {
    List<String> found = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    walk(consumer.route(), new java.util.HashSet<>(), found, problems);
    String allowed = WITHOUT_INBOX.get(consumer.id());
    for (String problem : problems) {
      violations.add(new Violation(consumer.file(), consumer.id(), Rule.INBOX, problem));
    }
    if (found.isEmpty() && allowed == null) {
      violations.add(
          new Violation(
              consumer.file(),
              consumer.id(),
              Rule.INBOX,
              "no inbox: no idempotentConsumer, inbox claim (sql/inbox/claim.sql), insert keyed"
                  + " by event_id or idempotent bean on its way, and not in the lint's"
                  + " WITHOUT_INBOX list with a reason"));
    }
    if (!found.isEmpty() && allowed != null) {
      violations.add(
          new Violation(
              consumer.file(),
              consumer.id(),
              Rule.INBOX,
              "it is in the lint's WITHOUT_INBOX list but has one ("
                  + found
                  + "): remove the entry"));
    }
  }

  /** Collects the idempotency the route's steps show, following direct: endpoints. */
  private void walk(Object yaml, Set<String> visited, List<String> found, List<String> problems) {
    if (yaml instanceof List<?> list) {
      list.forEach(item -> walk(item, visited, found, problems));
      return;
    }
    if (yaml instanceof String text) {
      if (text.contains("sql/inbox/claim.sql")) {
        found.add("inbox claim");
      }
      if (EVENT_KEYED_INSERT.matcher(text).find()) {
        found.add("insert keyed by event_id");
      }
      if (text.startsWith("direct:")) {
        follow(text, visited, found, problems);
      }
      return;
    }
    if (!(yaml instanceof Map<?, ?> map)) {
      return;
    }
    if (map.get("idempotentConsumer") instanceof Map<?, ?> idempotent) {
      if (idempotent.get("idempotentRepository") == null) {
        problems.add("an idempotentConsumer without an idempotentRepository");
      } else {
        found.add("idempotentConsumer " + idempotent.get("idempotentRepository"));
      }
    }
    if (map.get("ref") != null && map.get("method") != null) {
      String call = str(map.get("ref")) + "." + str(map.get("method")).replaceAll("\\(.*", "");
      Evidence evidence = IDEMPOTENT_BEANS.get(call);
      if (evidence != null) {
        String missing = missing(evidence);
        if (missing == null) {
          found.add(call + " (" + evidence.how() + ")");
        } else {
          problems.add(call + " is listed as idempotent but " + missing);
        }
      }
    }
    if (map.get("process") instanceof Map<?, ?> process && process.get("ref") != null) {
      Evidence hop = JAVA_HOPS.get(str(process.get("ref")));
      if (hop != null) {
        String missing = missing(hop);
        if (missing == null) {
          follow(hop.how(), visited, found, problems);
        } else {
          problems.add(
              process.get("ref") + " is listed as running " + hop.how() + " but " + missing);
        }
      }
    }
    map.values().forEach(v -> walk(v, visited, found, problems));
  }

  private void follow(String uri, Set<String> visited, List<String> found, List<String> problems) {
    String endpoint = uri.replaceAll("\\?.*", "");
    if (visited.add(endpoint) && directRoutes.get(endpoint) != null) {
      walk(directRoutes.get(endpoint).route(), visited, found, problems);
    }
  }

  /** Null when every file of the evidence says what it should, else what is missing. */
  private String missing(Evidence evidence) {
    for (Map.Entry<String, String> e : evidence.filesContaining().entrySet()) {
      Path file = root.resolve(e.getKey());
      try {
        if (!Files.exists(file) || !Files.readString(file).contains(e.getValue())) {
          return e.getKey() + " no longer contains " + e.getValue();
        }
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    }
    return null;
  }

  private String resolveProperty(String value) {
    Matcher m = PLACEHOLDER.matcher(value);
    if (m.matches() && properties.getProperty(m.group(1)) != null) {
      return properties.getProperty(m.group(1));
    }
    return value;
  }

  private static String fromUri(Map<?, ?> route) {
    return route != null && route.get("from") instanceof Map<?, ?> from
        ? str(from.get("uri"))
        : null;
  }

  private static String str(Object value) {
    return value == null ? null : String.valueOf(value);
  }
}
