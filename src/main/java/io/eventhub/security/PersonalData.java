package io.eventhub.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Blanks the personal fields ({@code hub.security.personal-fields}: email, name, message text, ...)
 * of a JSON document wherever they occur in it. A value that is not JSON is blanked as a whole, as
 * nothing tells what it holds.
 */
public final class PersonalData {

  public static final String REDACTED = "[redacted]";

  private final ObjectMapper mapper;
  private final Set<String> fields;

  public PersonalData(ObjectMapper mapper, List<String> fields) {
    this.mapper = mapper;
    this.fields = Set.copyOf(fields);
  }

  public List<String> fields() {
    return fields.stream().sorted().toList();
  }

  public String redact(String json) {
    if (json == null) {
      return null;
    }
    JsonNode tree;
    try {
      tree = mapper.readTree(json);
    } catch (IOException e) {
      return REDACTED;
    }
    if (tree == null) {
      return REDACTED;
    }
    return blank(tree).toString();
  }

  private JsonNode blank(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> it = object.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> field = it.next();
        if (fields.contains(field.getKey()) && !field.getValue().isNull()) {
          field.setValue(object.textNode(REDACTED));
        } else {
          blank(field.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(this::blank);
    }
    return node;
  }
}
