package io.eventhub.files;

import io.eventhub.http.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one part of a {@code multipart/form-data} body (RFC 7578): its file name, content type and
 * bytes. Small on purpose: the upload's limits are checked before it runs, and only the named part
 * is read.
 */
public final class Multipart {

  /** A form part: the file name the client gave (may be null), its content type, its bytes. */
  public record Part(String fileName, String contentType, byte[] content) {}

  private static final Pattern BOUNDARY =
      Pattern.compile("boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))", Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"");
  private static final Pattern FILE_NAME = Pattern.compile("filename=\"([^\"]*)\"");

  private Multipart() {}

  public static boolean isMultipart(String contentType) {
    return contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  /**
   * @throws ProblemException 400 when the body is not multipart as its header says or has no part
   *     of this name
   */
  public static Part part(String contentType, byte[] body, String name) {
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      throw bad("The multipart Content-Type has no boundary.");
    }
    byte[] delimiter =
        ("--" + (m.group(1) != null ? m.group(1) : m.group(2))).getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break; // the closing delimiter
      }
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
      int next = indexOf(body, concat("\r\n", delimiter), start);
      if (headersEnd < 0 || next < 0 || headersEnd > next) {
        throw bad("The multipart body is not well-formed.");
      }
      String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
      String disposition = header(headers, "content-disposition");
      Matcher partName = NAME.matcher(disposition == null ? "" : disposition);
      if (partName.find() && partName.group(1).equals(name)) {
        Matcher fileName = FILE_NAME.matcher(disposition);
        return new Part(
            fileName.find() ? fileName.group(1) : null,
            header(headers, "content-type"),
            Arrays.copyOfRange(body, headersEnd + 4, next));
      }
      at = next + 2;
    }
    throw bad("The multipart body has no part named '" + name + "'.");
  }

  private static String header(String headers, String name) {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static byte[] concat(String prefix, byte[] rest) {
    byte[] head = prefix.getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + rest.length);
    System.arraycopy(rest, 0, all, head.length, rest.length);
    return all;
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = Math.max(from, 0); i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static ProblemException bad(String detail) {
    return new ProblemException(400, "Bad Request", detail);
  }
}
