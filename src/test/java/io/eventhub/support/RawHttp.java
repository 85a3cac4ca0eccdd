package io.eventhub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests a regular client refuses to send: raw request targets
 * (bad percent-encoding, CR/LF, traversal), repeated or huge headers, bodies that are not UTF-8, a
 * Content-Length of one's own choosing. One request per connection ({@code Connection: close}); the
 * body is written from another thread, so a server that answers before reading it all (413) is
 * still heard.
 */
public final class RawHttp {

  /** A request as it goes on the wire; Host, Content-Length and Connection are added if absent. */
  public record Request(String method, String target, List<String[]> headers, byte[] body) {

    public static Request of(String method, String target) {
      return new Request(method, target, new ArrayList<>(), null);
    }

    public Request header(String name, String value) {
      List<String[]> more = new ArrayList<>(headers);
      more.add(new String[] {name, value});
      return new Request(method, target, more, body);
    }

    public Request body(byte[] bytes) {
      return new Request(method, target, headers, bytes);
    }

    public Request body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    boolean has(String name) {
      return headers.stream().anyMatch(h -> h[0].equalsIgnoreCase(name));
    }
  }

  /** The answer: status, headers (names lower-cased, last value wins) and body as text. */
  public record Response(int status, Map<String, String> headers, String body) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {}

  public static Response send(int port, Request request) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    write(head, request.method() + " " + request.target() + " HTTP/1.1\r\n");
    if (!request.has("Host")) {
      write(head, "Host: 127.0.0.1:" + port + "\r\n");
    }
    if (!request.has("Connection")) {
      write(head, "Connection: close\r\n");
    }
    byte[] body = request.body() == null ? new byte[0] : request.body();
    if (!request.has("Content-Length") && !request.has("Transfer-Encoding")) {
      if (request.body() != null || !request.method().equals("GET")) {
        write(head, "Content-Length: " + body.length + "\r\n");
      }
    }
    for (String[] h : request.headers()) {
      write(head, h[0] + ": " + h[1] + "\r\n");
    }
    write(head, "\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      byte[] bytes = head.toByteArray();
      Thread writer =
          new Thread(
              () -> {
                try {
                  out.write(bytes);
                  out.write(body);
                  out.flush();
                } catch (IOException e) {
                  // the server answered (and closed) before reading everything: its answer counts
                }
              },
              "raw-http-writer");
      writer.setDaemon(true);
      writer.start();
      return read(socket.getInputStream());
    }
  }

  private static Response read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null || !statusLine.startsWith("HTTP/")) {
      throw new IOException("no HTTP answer (got " + statusLine + ")");
    }
    int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
        body.write(in.readNBytes(size));
        line(in);
      }
    } else if (length != null) {
      body.write(in.readNBytes(Integer.parseInt(length)));
    } else {
      try {
        in.transferTo(body);
      } catch (IOException e) {
        // connection reset after the answer: what arrived is the body
      }
    }
    return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private static int chunkSize(String line) {
    return line == null || line.isBlank() ? 0 : Integer.parseInt(line.split(";")[0].trim(), 16);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1; b = in.read()) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
