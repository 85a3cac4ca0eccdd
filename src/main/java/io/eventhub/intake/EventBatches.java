package io.eventhub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.delivery.InboxRepository;
import io.eventhub.http.ProblemException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

/**
 * Batch mode ({@value CloudEvents#BATCH_MEDIA_TYPE}, a JSON array of structured events) for {@code
 * routes/intake-batch.camel.yaml}: the batch is checked whole before anything is published (400
 * naming each bad event by its index), duplicates (inside the batch, or accepted before: intake's
 * inbox) are left out and reported, the rest go to Kafka as one send (the body is a list of
 * records; camel-kafka sends them all, then waits for all the acks), and are remembered after.
 */
public class EventBatches {

  /** The checked events of the batch, in order (exchange property). */
  public static final String EVENTS = "batchEvents";

  /** The (source, id) keys of the events to publish (exchange property). */
  public static final String NEW_KEYS = "batchNewKeys";

  private static final String DUPLICATES = "batchDuplicates";

  private final CloudEvents cloudEvents;
  private final InboxRepository inbox;
  private final ObjectMapper mapper;
  private final int maxBatch;

  public EventBatches(
      CloudEvents cloudEvents, InboxRepository inbox, ObjectMapper mapper, int maxBatch) {
    this.cloudEvents = cloudEvents;
    this.inbox = inbox;
    this.mapper = mapper;
    this.maxBatch = maxBatch;
  }

  /**
   * Reads and checks every event of the batch; sets {@value #EVENTS} and returns their types (for
   * the credential's check).
   *
   * @throws ProblemException 400 (not an array, empty, or bad events by index), 413 past {@code
   *     hub.intake.max-batch}
   */
  public Set<String> read(Exchange exchange) {
    byte[] body = exchange.getMessage().getBody(byte[].class);
    JsonNode batch = cloudEvents.readJson(body, "a JSON array of CloudEvents (batch mode)");
    if (!batch.isArray()) {
      throw CloudEvents.badRequest(
          "The body must be a JSON array of CloudEvents in structured mode (batch mode).");
    }
    if (batch.isEmpty()) {
      throw CloudEvents.badRequest("The batch is empty; send at least one event.");
    }
    if (batch.size() > maxBatch) {
      throw new ProblemException(
          413,
          "Payload Too Large",
          "The batch has " + batch.size() + " events; the limit is " + maxBatch + ".",
          Map.of("limit", maxBatch));
    }
    List<CloudEvents.Checked> events = new ArrayList<>(batch.size());
    List<Map<String, Object>> invalid = new ArrayList<>();
    for (int index = 0; index < batch.size(); index++) {
      JsonNode node = batch.get(index);
      try {
        int size = node.toString().length();
        if (size > cloudEvents.maxBytes()) {
          throw new ProblemException(
              413,
              "Payload Too Large",
              "The event has " + size + " bytes; the limit is " + cloudEvents.maxBytes() + ".");
        }
        events.add(cloudEvents.checkStructured(node));
      } catch (ProblemException problem) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("index", index);
        entry.put("status", problem.status());
        entry.put("title", problem.title());
        entry.put("detail", problem.getMessage());
        entry.putAll(problem.extensions());
        invalid.add(entry);
      }
    }
    if (!invalid.isEmpty()) {
      throw new ProblemException(
          400,
          "Invalid Batch",
          invalid.size()
              + " of the "
              + batch.size()
              + " events are invalid (by index in \"invalid\"); none was published.",
          Map.of("invalid", invalid));
    }
    exchange.setProperty(EVENTS, events);
    Set<String> types = new LinkedHashSet<>();
    events.forEach(e -> types.add(e.event().getType()));
    return types;
  }

  /**
   * Leaves out the duplicates (an event earlier in the batch, or one intake accepted before) and
   * makes the body the list of Kafka records to send, in the batch's order.
   */
  public void toKafkaRecords(Exchange exchange) {
    @SuppressWarnings("unchecked")
    List<CloudEvents.Checked> events = exchange.getProperty(EVENTS, List.class);
    Map<String, Integer> seen = new HashMap<>();
    List<Map<String, Object>> duplicates = new ArrayList<>();
    List<String> newKeys = new ArrayList<>();
    List<Message> records = new ArrayList<>();
    for (int index = 0; index < events.size(); index++) {
      CloudEvents.Checked event = events.get(index);
      String key = event.key();
      Integer first = seen.putIfAbsent(key, index);
      if (first != null || inbox.contains(key)) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("index", index);
        entry.put("id", event.id());
        entry.put("source", event.source());
        entry.put("duplicateOf", first == null ? "an event accepted before" : "index " + first);
        duplicates.add(entry);
        continue;
      }
      Message record = new DefaultMessage(exchange.getContext());
      cloudEvents.writeRecord(record, event);
      records.add(record);
      newKeys.add(key);
    }
    exchange.setProperty(NEW_KEYS, newKeys);
    exchange.setProperty(DUPLICATES, duplicates);
    exchange.getMessage().removeHeaders("*");
    exchange.getMessage().setBody(records);
  }

  /** Remembers the published events in intake's inbox, once the broker acknowledged them all. */
  public void remember(Exchange exchange) {
    @SuppressWarnings("unchecked")
    List<String> keys = exchange.getProperty(NEW_KEYS, List.class);
    inbox.addAll(keys);
  }

  /**
   * The answer: {@code {"ids": [...], "published": n, "duplicates": [{"index", "id", "source",
   * "duplicateOf"}]}}, ids in the batch's order.
   */
  public String accepted(Exchange exchange) throws JsonProcessingException {
    @SuppressWarnings("unchecked")
    List<CloudEvents.Checked> events = exchange.getProperty(EVENTS, List.class);
    @SuppressWarnings("unchecked")
    List<String> keys = exchange.getProperty(NEW_KEYS, List.class);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("ids", events.stream().map(CloudEvents.Checked::id).toList());
    answer.put("published", keys.size());
    answer.put("duplicates", exchange.getProperty(DUPLICATES, List.class));
    return mapper.writeValueAsString(answer);
  }
}
