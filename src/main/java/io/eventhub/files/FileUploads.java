package io.eventhub.files;

import static io.eventhub.persistence.SqlFiles.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.delivery.EventIdentity;
import io.eventhub.http.ProblemException;
import io.eventhub.intake.CloudEvents;
import io.eventhub.intake.EventCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/files}: reads the upload (a multipart {@code file} part, or a raw body with its
 * {@code Content-Type} and a {@code name} query parameter), checks it (size, name, allowed type,
 * the type the bytes show), stores it under a generated key, records it PENDING with its tasks, and
 * makes the message the {@code FileUploaded} record for {@code files.events}.
 */
public class FileUploads {

  static final String SOURCE = EventIdentity.hubSource("files");
  private static final int MAX_NAME = 255;

  private final FileStore store;
  private final FileTaskPlan plan;
  private final NamedParameterJdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final CloudEvents cloudEvents;
  private final ObjectMapper mapper;
  private final long maxBytes;
  private final Duration timeout;
  private final Clock clock;

  public FileUploads(
      FileStore store,
      FileTaskPlan plan,
      NamedParameterJdbcTemplate jdbc,
      TransactionTemplate transaction,
      CloudEvents cloudEvents,
      ObjectMapper mapper,
      long maxBytes,
      Duration timeout,
      Clock clock) {
    this.store = store;
    this.plan = plan;
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.cloudEvents = cloudEvents;
    this.mapper = mapper;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.clock = clock;
  }

  public void upload(Exchange exchange) throws IOException {
    Message in = exchange.getMessage();
    String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
    // a multipart body carries a little more than its file: room for its headers and delimiters
    byte[] body = read(in.getBody(InputStream.class), maxBytes + 16 * 1024);
    String name;
    String declared;
    byte[] content;
    if (Multipart.isMultipart(contentType)) {
      Multipart.Part part = Multipart.part(contentType, body, "file");
      name = part.fileName();
      declared = part.contentType();
      content = part.content();
    } else {
      name = in.getHeader("name", String.class);
      declared = contentType;
      content = body;
    }
    if (content.length > maxBytes) {
      throw new ProblemException(
          413, "Payload Too Large", "The file is larger than " + maxBytes + " bytes.");
    }
    if (content.length == 0) {
      throw new ProblemException(400, "Bad Request", "The file is empty.");
    }
    name = checkName(name);
    String type = mediaType(declared);
    if (!plan.allows(type)) {
      throw new ProblemException(
          415,
          "Unsupported Media Type",
          "Files of type "
              + (type == null ? "(none given)" : "'" + type + "'")
              + " are not accepted; accepted: "
              + String.join(", ", plan.allowedTypes())
              + ".");
    }
    String sniffed = ContentSniffer.sniff(content);
    if (!type.equals(sniffed)) {
      throw new ProblemException(
          415,
          "Unsupported Media Type",
          "The file is declared as '"
              + type
              + "' but its content is "
              + (sniffed == null ? "of no accepted type" : "'" + sniffed + "'")
              + ".");
    }
    String fileId = UUID.randomUUID().toString();
    String key = fileId + "/original";
    store.put(key, content);
    List<String> tasks = plan.tasks(type);
    String finalName = name;
    transaction.executeWithoutResult(
        t -> {
          Map<String, Object> row = new HashMap<>();
          row.put("fileId", fileId);
          row.put("name", finalName);
          row.put("contentType", type);
          row.put("size", (long) content.length);
          row.put("sha256", FileProcessors.sha256(content));
          row.put("storageKey", key);
          row.put("timeoutSeconds", timeout.toMillis() / 1000.0);
          jdbc.update(sql("files/create-file"), row);
          for (String task : tasks) {
            jdbc.update(sql("files/create-task"), Map.of("fileId", fileId, "task", task));
          }
        });
    ObjectNode data = mapper.createObjectNode();
    data.put("fileId", fileId);
    data.put("name", name);
    data.put("contentType", type);
    data.put("size", content.length);
    data.put("status", FileOutcome.PENDING);
    EventCatalog.Route route = cloudEvents.checkData("FileUploaded", data);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("id", "file-uploaded-" + fileId);
    attributes.put("type", "FileUploaded");
    attributes.put("source", SOURCE);
    attributes.put("time", clock.instant().toString());
    attributes.put("subject", fileId);
    cloudEvents.writeRecord(in, attributes, route, data);
    exchange.setProperty("fileId", fileId);
  }

  /** The 202 answer: the file's id and where to follow it. */
  public String accepted(String fileId) throws IOException {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", fileId);
    answer.put("status", FileOutcome.PENDING);
    answer.put("statusUrl", "/api/files/" + fileId);
    answer.put("eventsUrl", "/api/files/" + fileId + "/events");
    return mapper.writeValueAsString(answer);
  }

  /** The file name as given, checked: it is only ever shown, never a path. */
  static String checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new ProblemException(
          400,
          "Bad Request",
          "The file needs a name: the multipart part's filename, or ?name= with a raw body.");
    }
    if (name.length() > MAX_NAME) {
      throw new ProblemException(
          400, "Bad Request", "The file name is longer than " + MAX_NAME + " characters.");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        throw new ProblemException(
            400, "Bad Request", "The file name contains a control character.");
      }
    }
    if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
      throw new ProblemException(
          400, "Bad Request", "The file name may not contain a path ('/', '\\', '..').");
    }
    return name;
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  private static byte[] read(InputStream in, long limit) throws IOException {
    if (in == null) {
      return new byte[0];
    }
    try (in) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        throw new ProblemException(
            413, "Payload Too Large", "The upload is larger than " + limit + " bytes.");
      }
      return bytes;
    }
  }
}
