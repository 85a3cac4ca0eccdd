package io.eventhub.files;

import static io.eventhub.persistence.SqlFiles.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.callbacks.WebhookVerifier;
import io.eventhub.delivery.EventIdentity;
import io.eventhub.http.LogSafe;
import io.eventhub.http.ProblemException;
import io.eventhub.intake.CloudEvents;
import io.eventhub.intake.EventCatalog;
import io.eventhub.json.StrictJson;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The aggregator per file: the task results reported to {@code POST /callbacks/files/{fileId}} are
 * collected on the file's row, changed under its row lock in one transaction with the callback's
 * record, so duplicates and concurrent callbacks (on any hub instance) apply once. When every
 * requested task has reported, or the file's deadline passed, the decision ({@link FileOutcome}) is
 * kept on the row with its {@code FileProcessed} until that is published (an outbox, as in the
 * order saga). Also the file's task requests and its views.
 */
public class FileResults {

  /** A {@code FileProcessed} decided for a file, to publish. */
  public record Outcome(String id, String fileId, ObjectNode data) {}

  private static final Logger LOG = LoggerFactory.getLogger(FileResults.class);
  private static final Pattern FILE_ID = Pattern.compile("[0-9a-f-]{36}");
  private static final Pattern THUMBNAIL = Pattern.compile("thumbnail-(\\d{1,4})");

  private final NamedParameterJdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final ObjectMapper mapper;
  private final CloudEvents cloudEvents;
  private final WebhookVerifier verifier;
  private final FileStore store;
  private final int maxCallbackBytes;
  private final Clock clock;

  public FileResults(
      NamedParameterJdbcTemplate jdbc,
      TransactionTemplate transaction,
      ObjectMapper mapper,
      CloudEvents cloudEvents,
      WebhookVerifier verifier,
      FileStore store,
      int maxCallbackBytes,
      Clock clock) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.mapper = mapper;
    this.cloudEvents = cloudEvents;
    this.verifier = verifier;
    this.store = store;
    this.maxCallbackBytes = maxCallbackBytes;
    this.clock = clock;
  }

  // --- task requests (FileUploaded -> FileTaskRequested on files.tasks) ---

  /** The task requests of an uploaded file, as {@code FileTaskRequested} data; none if unknown. */
  public List<ObjectNode> taskRequests(Exchange exchange) throws IOException {
    String source = exchange.getProperty("eventSource", String.class);
    JsonNode uploaded = mapper.readTree(exchange.getMessage().getBody(String.class));
    String fileId = uploaded.path("fileId").asText();
    if (!FileUploads.SOURCE.equals(source)) {
      // a client's FileUploaded (intake takes it) names no file the hub stored
      LOG.info("FileUploaded {} from {} is not the hub's: no tasks", LogSafe.text(fileId), source);
      return List.of();
    }
    Map<String, Object> file = find(fileId);
    if (file == null) {
      return List.of();
    }
    List<ObjectNode> requests = new ArrayList<>();
    for (Map<String, Object> task : tasks(fileId)) {
      if (!"REQUESTED".equals(task.get("status"))) {
        continue;
      }
      ObjectNode data = mapper.createObjectNode();
      data.put("fileId", fileId);
      data.put("task", (String) task.get("task"));
      data.put("contentType", (String) file.get("content_type"));
      data.put("size", ((Number) file.get("size")).longValue());
      requests.add(data);
    }
    return requests;
  }

  /** Makes the message the Kafka record of one task request (the body is its data). */
  public void toTaskRecord(Exchange exchange) {
    ObjectNode data = exchange.getMessage().getBody(ObjectNode.class);
    EventCatalog.Route route = cloudEvents.checkData("FileTaskRequested", data);
    String fileId = data.get("fileId").asText();
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("id", "file-task-" + fileId + "-" + data.get("task").asText());
    attributes.put("type", "FileTaskRequested");
    attributes.put("source", FileUploads.SOURCE);
    attributes.put("time", clock.instant().toString());
    attributes.put("subject", fileId);
    cloudEvents.writeRecord(exchange.getMessage(), attributes, route, data);
  }

  // --- callbacks ---

  /**
   * Verifies and applies a task's callback; the outcomes to publish (none, or the file's decision).
   *
   * @throws ProblemException 413, 401 (signature), 400 (body, task not requested), 404 (file)
   */
  public List<Outcome> callback(Exchange exchange) {
    Message in = exchange.getMessage();
    byte[] body = verifier.verifiedBody(in, maxCallbackBytes);
    String fileId = in.getHeader("fileId", String.class);
    JsonNode callback;
    try {
      callback = mapper.readTree(body);
    } catch (IOException e) {
      throw new ProblemException(
          400, "Bad Request", StrictJson.reason("The callback body", e) + ".");
    }
    String task = callback == null ? null : callback.path("task").asText(null);
    String status = callback == null ? null : callback.path("status").asText("");
    JsonNode result = callback == null ? null : callback.get("result");
    if (task == null
        || !(status.equals("SUCCEEDED") || status.equals("FAILED"))
        || (result != null && !result.isObject() && !result.isNull())) {
      throw new ProblemException(
          400,
          "Bad Request",
          "A file callback needs a task, a status of SUCCEEDED or FAILED and a result object.");
    }
    String error = callback.path("error").isTextual() ? callback.get("error").asText() : null;
    if (status.equals("FAILED") && error == null) {
      error = "the processor gave no reason";
    }
    String finalError = error;
    List<Outcome> outcomes =
        transaction.execute(
            t ->
                apply(fileId, task, status, result == null ? null : result.toString(), finalError));
    return outcomes;
  }

  private List<Outcome> apply(
      String fileId, String task, String status, String result, String error) {
    List<Map<String, Object>> locked =
        FILE_ID.matcher(fileId == null ? "" : fileId).matches()
            ? jdbc.queryForList(sql("files/lock-file"), Map.of("fileId", fileId))
            : List.of();
    if (locked.isEmpty()) {
      throw new ProblemException(404, "Not Found", "There is no file with this id.");
    }
    Map<String, Object> file = locked.get(0);
    Map<String, String> states = new LinkedHashMap<>();
    tasks(fileId).forEach(row -> states.put((String) row.get("task"), (String) row.get("status")));
    if (!states.containsKey(task)) {
      throw new ProblemException(
          400,
          "Bad Request",
          "The task '" + LogSafe.text(task) + "' was not requested for this file.");
    }
    String note = null;
    if (FileOutcome.isFinal((String) file.get("status"))) {
      note = "the file is already " + file.get("status");
    } else if (!"REQUESTED".equals(states.get(task))) {
      note = "the task was already reported " + states.get(task);
    }
    record(fileId, task, status, note == null, note);
    if (note != null) {
      return List.of();
    }
    Map<String, Object> report = new HashMap<>();
    report.put("fileId", fileId);
    report.put("task", task);
    report.put("status", status);
    report.put("result", result);
    report.put("error", error);
    jdbc.update(sql("files/report-task"), report);
    states.put(task, status);
    FileOutcome.Decision decision = FileOutcome.decide(states, false);
    return decision == null ? List.of() : List.of(decide(file, decision));
  }

  private void record(String fileId, String task, String status, boolean applied, String note) {
    Map<String, Object> row = new HashMap<>();
    row.put("fileId", fileId);
    row.put("task", task);
    row.put("status", status);
    row.put("applied", applied);
    row.put("note", note);
    jdbc.update(sql("files/record-callback"), row);
  }

  private Outcome decide(Map<String, Object> file, FileOutcome.Decision decision) {
    String fileId = (String) file.get("file_id");
    ObjectNode data = mapper.createObjectNode();
    data.put("fileId", fileId);
    data.put("name", (String) file.get("name"));
    data.put("contentType", (String) file.get("content_type"));
    data.put("size", ((Number) file.get("size")).longValue());
    data.put("status", decision.status());
    if (decision.reason() != null) {
      data.put("reason", decision.reason());
    }
    data.set("results", taskResults(fileId));
    String id = "file-processed-" + fileId;
    Map<String, Object> row = new HashMap<>();
    row.put("fileId", fileId);
    row.put("status", decision.status());
    row.put("reason", decision.reason());
    row.put("outcomeId", id);
    row.put("outcomeData", data.toString());
    jdbc.update(sql("files/decide"), row);
    LOG.info("File {} {} ({})", fileId, decision.status(), decision.reason());
    return new Outcome(id, fileId, data);
  }

  /** Decides the files past their deadline (PARTIAL or FAILED); the outcomes to publish. */
  public List<Outcome> expire() {
    return transaction.execute(
        t -> {
          List<Outcome> outcomes = new ArrayList<>();
          for (String fileId :
              jdbc.queryForList(sql("files/expired-files"), Map.of(), String.class)) {
            Map<String, Object> file = find(fileId);
            Map<String, String> states = new LinkedHashMap<>();
            tasks(fileId)
                .forEach(row -> states.put((String) row.get("task"), (String) row.get("status")));
            FileOutcome.Decision decision = FileOutcome.decide(states, true);
            if (decision != null) {
              outcomes.add(decide(file, decision));
            }
          }
          return outcomes;
        });
  }

  /** Decisions not yet published this long after they were made (the outbox relay). */
  public List<Outcome> unpublished(long afterMs, long leaseMs) {
    List<Outcome> outcomes = new ArrayList<>();
    for (String fileId :
        jdbc.queryForList(
            sql("files/unpublished-files"),
            Map.of("afterMs", afterMs, "leaseMs", leaseMs),
            String.class)) {
      Map<String, Object> file = find(fileId);
      try {
        outcomes.add(
            new Outcome(
                (String) file.get("outcome_id"),
                fileId,
                (ObjectNode) mapper.readTree(String.valueOf(file.get("outcome_data")))));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return outcomes;
  }

  /** Makes the message the {@code FileProcessed} record of an outcome (the body). */
  public void toKafkaRecord(Exchange exchange) {
    Outcome outcome = exchange.getMessage().getBody(Outcome.class);
    EventCatalog.Route route = cloudEvents.checkData("FileProcessed", outcome.data());
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("id", outcome.id());
    attributes.put("type", "FileProcessed");
    attributes.put("source", EventIdentity.hubSource("file-results"));
    attributes.put("time", clock.instant().toString());
    attributes.put("subject", outcome.fileId());
    cloudEvents.writeRecord(exchange.getMessage(), attributes, route, outcome.data());
    exchange.setProperty("fileId", outcome.fileId());
  }

  public void markPublished(String fileId) {
    jdbc.update(sql("files/mark-published"), Map.of("fileId", fileId));
  }

  // --- views ---

  /** {@code GET /api/files/{id}}: status, each task's state and the results. */
  public Map<String, Object> view(String fileId) {
    Map<String, Object> file = find(fileId);
    if (file == null) {
      throw new ProblemException(404, "Not Found", "There is no file with this id.");
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", fileId);
    view.put("name", file.get("name"));
    view.put("contentType", file.get("content_type"));
    view.put("size", file.get("size"));
    view.put("status", file.get("status"));
    view.put("reason", file.get("reason"));
    view.put("uploadedAt", String.valueOf(file.get("uploaded_at")));
    ObjectNode tasks = taskResults(fileId);
    view.put("tasks", tasks);
    Map<String, String> thumbnails = new LinkedHashMap<>();
    tasks
        .fields()
        .forEachRemaining(
            e -> {
              Matcher m = THUMBNAIL.matcher(e.getKey());
              if (m.matches() && e.getValue().path("status").asText().equals("SUCCEEDED")) {
                thumbnails.put(m.group(1), "/api/files/" + fileId + "/thumbnails/" + m.group(1));
              }
            });
    view.put("thumbnails", thumbnails);
    JsonNode text = tasks.at("/text/result/text");
    view.put("text", text.isMissingNode() ? null : text.asText());
    JsonNode sha256 = tasks.at("/sha256/result/sha256");
    view.put("sha256", sha256.isMissingNode() ? null : sha256.asText());
    return view;
  }

  /** The status and task states only: what the event stream sends on each change. */
  public Map<String, Object> status(String fileId) {
    Map<String, Object> file = find(fileId);
    if (file == null) {
      return null;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("id", fileId);
    status.put("status", file.get("status"));
    status.put("reason", file.get("reason"));
    Map<String, Object> tasks = new LinkedHashMap<>();
    tasks(fileId).forEach(row -> tasks.put((String) row.get("task"), row.get("status")));
    status.put("tasks", tasks);
    return status;
  }

  /** {@code GET /api/files?status=&limit=}: the newest files. */
  public Map<String, Object> list(String status, String limit) {
    if (status != null && !List.of("PENDING", "COMPLETED", "FAILED", "PARTIAL").contains(status)) {
      throw new ProblemException(
          400, "Bad Request", "status is one of PENDING, COMPLETED, FAILED, PARTIAL.");
    }
    int rows;
    try {
      rows = limit == null || limit.isBlank() ? 50 : Integer.parseInt(limit.trim());
    } catch (NumberFormatException e) {
      rows = 0;
    }
    if (rows < 1 || rows > 500) {
      throw new ProblemException(400, "Bad Request", "limit is between 1 and 500.");
    }
    Map<String, Object> params = new HashMap<>();
    params.put("status", status);
    params.put("limit", rows);
    List<Map<String, Object>> files = new ArrayList<>();
    for (Map<String, Object> row : jdbc.queryForList(sql("files/recent-files"), params)) {
      Map<String, Object> file = new LinkedHashMap<>();
      file.put("id", row.get("file_id"));
      file.put("name", row.get("name"));
      file.put("contentType", row.get("content_type"));
      file.put("size", row.get("size"));
      file.put("status", row.get("status"));
      file.put("reason", row.get("reason"));
      file.put("uploadedAt", String.valueOf(row.get("uploaded_at")));
      files.add(file);
    }
    return Map.of("files", files);
  }

  /** {@code GET /api/files/{id}/thumbnails/{size}}: the PNG, or 404. */
  public byte[] thumbnail(String fileId, String size) throws IOException {
    if (FILE_ID.matcher(fileId == null ? "" : fileId).matches()
        && size != null
        && size.matches("\\d{1,4}")) {
      Map<String, Object> file = find(fileId);
      if (file != null) {
        for (Map<String, Object> task : tasks(fileId)) {
          if (task.get("task").equals("thumbnail-" + size)
              && "SUCCEEDED".equals(task.get("status"))) {
            return store
                .get(fileId + "/thumbnail-" + size)
                .orElseThrow(
                    () ->
                        new ProblemException(
                            404, "Not Found", "The thumbnail is not in the hub's store."));
          }
        }
      }
    }
    throw new ProblemException(404, "Not Found", "There is no such thumbnail of this file.");
  }

  private ObjectNode taskResults(String fileId) {
    ObjectNode results = mapper.createObjectNode();
    for (Map<String, Object> row : tasks(fileId)) {
      ObjectNode task = results.putObject((String) row.get("task"));
      task.put("status", (String) row.get("status"));
      if (row.get("result") != null) {
        try {
          task.set("result", mapper.readTree((String) row.get("result")));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
      if (row.get("error") != null) {
        task.put("error", (String) row.get("error"));
      }
    }
    return results;
  }

  private Map<String, Object> find(String fileId) {
    if (fileId == null || !FILE_ID.matcher(fileId).matches()) {
      return null;
    }
    List<Map<String, Object>> rows =
        jdbc.queryForList(sql("files/find-file"), Map.of("fileId", fileId));
    return rows.isEmpty() ? null : rows.get(0);
  }

  private List<Map<String, Object>> tasks(String fileId) {
    return jdbc.queryForList(sql("files/tasks"), Map.of("fileId", fileId));
  }
}
