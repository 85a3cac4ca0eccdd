package io.eventhub.profile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.DefaultMustacheFactory;
import io.eventhub.delivery.MalformedEventException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.ResourceHelper;

/**
 * The confirmation email of a profile change, as a request to the notification service (an email
 * API): {@code {"to", "subject", "text", "userId"}}. Subject and text come from a Mustache template
 * ({@code template}, {@code file:} or {@code classpath:}): its first line is {@code Subject: ...},
 * then an empty line, then the text. The template sees {@code name}, {@code userId}, {@code
 * version} and {@code changedFields} (the user-visible ones); it is read for each email, so an edit
 * takes effect at once. Changes to the fields in {@code silentFields} (and below them: {@code
 * preferences.ui} covers {@code preferences.ui.theme}) are not the user's business: no email when
 * only those changed.
 */
public class ProfileEmails implements CamelContextAware {

  private static final String SUBJECT = "Subject:";

  /**
   * An address the email goes to: the schema's pattern too (UserProfileUpdated.schema.json), no
   * quoted parts, comments, spaces or line breaks.
   */
  static final Pattern ADDRESS =
      Pattern.compile(
          "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

  /** The most characters of a name written into an email. */
  static final int MAX_NAME = 100;

  private static final Pattern CONTROLS = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]+");

  private final ObjectMapper mapper = new ObjectMapper();
  private CamelContext camelContext;
  private String template;
  private List<String> silentFields = List.of();

  public void setTemplate(String template) {
    this.template = template;
  }

  /** Comma-separated field paths whose changes the user is not told about. */
  public void setSilentFields(String silentFields) {
    this.silentFields =
        Arrays.stream(silentFields.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Whether the update changed at least one field the user sees. */
  public boolean worthAnEmail(ProfileUpdate update) {
    return !visibleChanges(update).isEmpty();
  }

  /** The changed fields the user sees, in the event's order. */
  public List<String> visibleChanges(ProfileUpdate update) {
    return update.changedFields().stream().filter(field -> !isSilent(field)).toList();
  }

  /** The JSON request to the notification service. */
  public String request(ProfileUpdate update) {
    if (update.email() == null
        || update.email().length() > 320
        || !ADDRESS.matcher(update.email()).matches()) {
      // checked by the schema already; never sent to an address that could carry headers
      throw new MalformedEventException("email is not a valid address.");
    }
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("name", displayName(update.name()));
    scope.put("userId", update.userId());
    scope.put("version", update.version());
    scope.put("changedFields", visibleChanges(update));
    String rendered = render(scope).replace("\r\n", "\n");
    int blank = rendered.indexOf("\n\n");
    if (!rendered.startsWith(SUBJECT) || blank < 0) {
      throw new IllegalStateException(
          "The email template " + template + " must start with 'Subject: ...' and an empty line.");
    }
    ObjectNode request = mapper.createObjectNode();
    request.put("to", update.email());
    request.put("subject", rendered.substring(SUBJECT.length(), blank).trim());
    request.put("text", rendered.substring(blank + 2).strip() + "\n");
    request.put("userId", update.userId());
    return request.toString();
  }

  /**
   * The name as the email shows it: control characters and line breaks become a space, so it can
   * add no line or header to the subject or text, and it is cut at {@link #MAX_NAME} characters.
   */
  static String displayName(String name) {
    if (name == null) {
      return "";
    }
    String flat = CONTROLS.matcher(name).replaceAll(" ").strip();
    return flat.length() <= MAX_NAME ? flat : flat.substring(0, MAX_NAME).strip();
  }

  private boolean isSilent(String field) {
    for (String silent : silentFields) {
      if (field.equals(silent) || field.startsWith(silent + ".")) {
        return true;
      }
    }
    return false;
  }

  private String render(Map<String, Object> scope) {
    String source;
    try (InputStream in =
        ResourceHelper.resolveMandatoryResourceAsInputStream(camelContext, template)) {
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the email template " + template, e);
    }
    StringWriter out = new StringWriter();
    new PlainTextMustacheFactory().compile(new StringReader(source), template).execute(out, scope);
    return out.toString();
  }

  /** The email is plain text: values are written as they are, not HTML-escaped. */
  private static final class PlainTextMustacheFactory extends DefaultMustacheFactory {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public CamelContext getCamelContext() {
    return camelContext;
  }

  @Override
  public void setCamelContext(CamelContext camelContext) {
    this.camelContext = camelContext;
  }
}
