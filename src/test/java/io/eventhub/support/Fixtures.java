package io.eventhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON fixtures in {@code src/test/resources/fixtures}: event data as it is on the topics, and
 * the bodies outside services post. A fixture names what a test fills in as {@code ${key}} inside
 * its text values ({@code "orderId": "${orderId}"}); a key left unfilled is an error.
 */
public final class Fixtures {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KEY = Pattern.compile("\\$\\{([A-Za-z]+)}");

  private Fixtures() {}

  /** fixtures/{name}.json, filled in with the given keys and values (key, value, key, value...). */
  public static ObjectNode json(String name, String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs: " + name);
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    String resource = "/fixtures/" + name + ".json";
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      return (ObjectNode) fill(JSON.readTree(in), values, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same, as one line of JSON text: a record value or a request body. */
  public static String text(String name, String... keysAndValues) {
    return json(name, keysAndValues).toString();
  }

  /**
   * A payment gateway's callback body for {@code payment.succeeded} or {@code payment.failed}
   * (fixtures/payment-succeeded-callback.json, payment-failed-callback.json).
   */
  public static String callback(String type, String id, String paymentId, String orderId) {
    return text(
        type.replace('.', '-') + "-callback", "id", id, "paymentId", paymentId, "orderId", orderId);
  }

  private static JsonNode fill(JsonNode node, Map<String, String> values, String name) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
        object.set(field.getKey(), fill(field.getValue(), values, name));
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, fill(array.get(i), values, name));
      }
    } else if (node.isTextual()) {
      Matcher key = KEY.matcher(node.asText());
      StringBuilder filled = new StringBuilder();
      while (key.find()) {
        String value = values.get(key.group(1));
        if (value == null) {
          throw new IllegalArgumentException(
              "fixture " + name + " needs a value for " + key.group(1));
        }
        key.appendReplacement(filled, Matcher.quoteReplacement(value));
      }
      key.appendTail(filled);
      return new TextNode(filled.toString());
    }
    return node;
  }
}
