package io.eventhub.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * The hub's own file processors, one per task: {@code sha256}, {@code thumbnail-<px>} (JDK ImageIO;
 * the image's dimensions are read from its header and checked before any pixel is decoded) and
 * {@code text} (PDFBox for PDF, the text itself for text/plain). Each result is reported the way an
 * outside processor reports it: the callback body of DESIGN.md, signed, POSTed to the hub. A task
 * that cannot succeed for this file (a corrupt image) reports FAILED with its reason.
 */
public class FileProcessors {

  private static final Pattern THUMBNAIL = Pattern.compile("thumbnail-(\\d{1,4})");

  private final FileStore store;
  private final ObjectMapper mapper;
  private final FileCallbackSigner signer;
  private final boolean enabled;
  private final List<String> ownTasks;
  private final long maxPixels;
  private final int maxTextChars;

  public FileProcessors(
      FileStore store,
      ObjectMapper mapper,
      FileCallbackSigner signer,
      boolean enabled,
      List<String> ownTasks,
      long maxPixels,
      int maxTextChars) {
    this.store = store;
    this.mapper = mapper;
    this.signer = signer;
    this.enabled = enabled;
    this.ownTasks = ownTasks;
    this.maxPixels = maxPixels;
    this.maxTextChars = maxTextChars;
  }

  /** Whether the hub's processors do this task ({@code hub.files.processors.tasks}). */
  public boolean handles(String task) {
    return task != null
        && (ownTasks.contains(task)
            || (ownTasks.contains("thumbnail-*") && THUMBNAIL.matcher(task).matches()));
  }

  /**
   * Reads a {@code FileTaskRequested} record: sets the properties fileId, task and ownTask (whether
   * the hub's processors are enabled and do it).
   */
  public void read(Exchange exchange) throws IOException {
    JsonNode data = mapper.readTree(exchange.getMessage().getBody(String.class));
    exchange.setProperty("fileId", data.path("fileId").asText());
    exchange.setProperty("task", data.path("task").asText());
    exchange.setProperty("ownTask", enabled && handles(data.path("task").asText()));
  }

  /** Runs the task and makes the message the signed callback for {@code /callbacks/files/{id}}. */
  public void process(Exchange exchange) throws IOException {
    JsonNode data = mapper.readTree(exchange.getMessage().getBody(String.class));
    String fileId = data.path("fileId").asText();
    String task = data.path("task").asText();
    String contentType = data.path("contentType").asText();
    ObjectNode callback = mapper.createObjectNode();
    callback.put("task", task);
    try {
      byte[] content =
          store
              .get(fileId + "/original")
              .orElseThrow(() -> new TaskFailed("the file's content is not in the store"));
      callback.set("result", run(fileId, task, contentType, content));
      callback.put("status", "SUCCEEDED");
    } catch (TaskFailed e) {
      callback.put("status", "FAILED");
      callback.set("result", mapper.createObjectNode());
      callback.put("error", e.getMessage());
    }
    byte[] body = mapper.writeValueAsBytes(callback);
    Message out = exchange.getMessage();
    out.removeHeaders("*");
    // camel-http's own enum, not the text "POST" (converted on every call by a registry search)
    out.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
    out.setHeader(Exchange.CONTENT_TYPE, "application/json");
    signer.sign(body).forEach(out::setHeader);
    out.setBody(body);
  }

  private JsonNode run(String fileId, String task, String contentType, byte[] content)
      throws IOException {
    ObjectNode result = mapper.createObjectNode();
    Matcher thumbnail = THUMBNAIL.matcher(task);
    if (task.equals("sha256")) {
      result.put("sha256", sha256(content));
    } else if (thumbnail.matches()) {
      int size = Integer.parseInt(thumbnail.group(1));
      if (size < 1) {
        throw new TaskFailed("a thumbnail needs a size of at least 1 px");
      }
      Map<String, Integer> made = thumbnail(fileId, task, content, size);
      result.put("size", size);
      result.put("width", made.get("width"));
      result.put("height", made.get("height"));
    } else if (task.equals("text")) {
      String text = text(contentType, content);
      result.put("chars", text.length());
      result.put("truncated", text.length() > maxTextChars);
      result.put("text", text.length() > maxTextChars ? text.substring(0, maxTextChars) : text);
    } else {
      throw new TaskFailed("the hub's processors have no task '" + task + "'");
    }
    return result;
  }

  private Map<String, Integer> thumbnail(String fileId, String task, byte[] content, int size)
      throws IOException {
    BufferedImage image;
    try (ImageInputStream input =
        ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
      if (input == null || !readers.hasNext()) {
        throw new TaskFailed("corrupt image: no image reader recognises it");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, true, true);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        // a decompression bomb: a small file whose header claims a huge image
        if (width <= 0 || height <= 0 || width * height > maxPixels) {
          throw new TaskFailed(
              "the image claims "
                  + width
                  + "x"
                  + height
                  + " pixels, more than the "
                  + maxPixels
                  + " allowed; not decoded");
        }
        image = reader.read(0);
      } catch (IOException | RuntimeException e) {
        if (e instanceof TaskFailed failed) {
          throw failed;
        }
        throw new TaskFailed("corrupt image: it cannot be decoded");
      } finally {
        reader.dispose();
      }
    }
    double scale = Math.min(1.0, (double) size / Math.max(image.getWidth(), image.getHeight()));
    int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = small.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(small, "png", png);
    store.put(fileId + "/" + task, png.toByteArray());
    return Map.of("width", w, "height", h);
  }

  private static String text(String contentType, byte[] content) {
    if (contentType.equals("application/pdf")) {
      try (PDDocument document = Loader.loadPDF(content)) {
        return new PDFTextStripper().getText(document).strip();
      } catch (IOException | RuntimeException e) {
        throw new TaskFailed("corrupt PDF: its text cannot be read");
      }
    }
    if (contentType.startsWith("text/")) {
      return new String(content, StandardCharsets.UTF_8);
    }
    throw new TaskFailed("no text can be extracted from " + contentType);
  }

  /** The SHA-256 of the bytes, in lower-case hex. */
  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A task that cannot succeed for this file: reported FAILED with its reason, not retried. */
  static final class TaskFailed extends RuntimeException {
    TaskFailed(String reason) {
      super(reason, null, false, false);
    }
  }
}
