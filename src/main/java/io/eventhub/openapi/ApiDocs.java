package io.eventhub.openapi;

import io.eventhub.http.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * Swagger UI at {@code /api/docs}: the page (the hub's own, pointing at {@code /api/openapi.json})
 * and the UI's files under {@code /api/docs/<file>}, read from the {@code org.webjars:swagger-ui}
 * jar on the classpath. Only plain file names of that folder are served (no path: 404).
 */
public class ApiDocs {

  static final String OPENAPI_URL = "/api/openapi.json";
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");
  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "html", "text/html; charset=utf-8",
          "png", "image/png",
          "map", "application/json");

  private final String folder;

  public ApiDocs() {
    this.folder = WEBJAR + version() + "/";
  }

  /** The Swagger UI page, for {@code GET /api/docs}. */
  public String page(Exchange exchange) {
    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Camel Event Hub API</title>
          <link rel="stylesheet" href="/api/docs/swagger-ui.css">
          <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
        </head>
        <body>
          <div id="swagger-ui"></div>
          <script src="/api/docs/swagger-ui-bundle.js"></script>
          <script src="/api/docs/swagger-ui-standalone-preset.js"></script>
          <script src="/api/docs/hub-docs.js"></script>
        </body>
        </html>
        """;
  }

  /** One of Swagger UI's files, for {@code GET /api/docs/{file}}; 404 for any other name. */
  public byte[] file(String name, Exchange exchange) {
    if (name != null && name.equals("hub-docs.js")) {
      exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, TYPES.get("js"));
      return initializer().getBytes(StandardCharsets.UTF_8);
    }
    String extension =
        name == null || name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.') + 1);
    if (name == null || !FILE_NAME.matcher(name).matches() || !TYPES.containsKey(extension)) {
      throw notFound();
    }
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(folder + name)) {
      if (in == null) {
        throw notFound();
      }
      exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, TYPES.get(extension));
      exchange.getMessage().setHeader("Cache-Control", "public, max-age=86400");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts Swagger UI on the hub's document (a script file of its own rather than inline, so a
   * strict Content-Security-Policy in front of the hub can still allow the page).
   */
  static String initializer() {
    return """
        window.onload = function () {
          window.ui = SwaggerUIBundle({
            url: "%s",
            dom_id: "#swagger-ui",
            deepLinking: true,
            persistAuthorization: true,
            presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
            plugins: [SwaggerUIBundle.plugins.DownloadUrl],
            layout: "StandaloneLayout"
          });
        };
        """
        .formatted(OPENAPI_URL);
  }

  private static ProblemException notFound() {
    return new ProblemException(404, "Not Found", "There is nothing at this path.");
  }

  /** The webjar's version, from the Maven properties it ships. */
  static String version() {
    String resource = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("org.webjars:swagger-ui is not on the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
