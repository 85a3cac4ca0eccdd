package io.eventhub.delivery;

import io.eventhub.http.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/** The cursor of a page of dead letters: the next offset of each partition read, as opaque text. */
final class Cursor {

  private Cursor() {}

  static String encode(Map<TopicPartition, Long> positions) {
    String text =
        positions.entrySet().stream()
            .map(e -> e.getKey().topic() + "|" + e.getKey().partition() + "|" + e.getValue())
            .sorted()
            .collect(Collectors.joining(","));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static Map<TopicPartition, Long> decode(String cursor) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    if (cursor == null || cursor.isBlank()) {
      return positions;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      for (String part : text.split(",")) {
        String[] fields = part.split("\\|");
        positions.put(
            new TopicPartition(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
      }
      return positions;
    } catch (RuntimeException e) {
      throw new ProblemException(
          400, "Bad Request", "after is the next cursor of an earlier page, as it was given.");
    }
  }
}
