package io.eventhub.support;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Real files made by the tests (PNG, JPEG, PDF, text, broken ones) and their upload requests. */
public final class FileSamples {

  private FileSamples() {}

  public static byte[] png(int width, int height) {
    return image(width, height, "png", BufferedImage.TYPE_INT_ARGB);
  }

  public static byte[] jpeg(int width, int height) {
    return image(width, height, "jpeg", BufferedImage.TYPE_INT_RGB);
  }

  /** A PNG of noise, so it does not compress: about {@code bytes} long. */
  public static byte[] noisyPng(int bytes) {
    int side = (int) Math.sqrt(bytes / 3.0) + 1;
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(42);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        image.setRGB(x, y, random.nextInt(0xFFFFFF));
      }
    }
    return write(image, "png");
  }

  private static byte[] image(int width, int height, String format, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
    g.fillRect(0, 0, width, height);
    g.dispose();
    return write(image, format);
  }

  private static byte[] write(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, format, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] pdf(String text) {
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage();
      document.addPage(page);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.beginText();
        content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        content.newLineAtOffset(72, 700);
        content.showText(text);
        content.endText();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PNG signature followed by bytes that are no image. */
  public static byte[] corruptPng() {
    byte[] png = png(64, 64);
    byte[] corrupt = png.clone();
    for (int i = 33; i < corrupt.length; i++) {
      corrupt[i] = (byte) (i * 31);
    }
    return corrupt;
  }

  /** A small PNG whose header claims {@code width} x {@code height} pixels (CRC recomputed). */
  public static byte[] pngClaiming(int width, int height) {
    byte[] png = png(8, 8);
    // signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), ... CRC after 13 bytes
    ByteBuffer buffer = ByteBuffer.wrap(png);
    buffer.putInt(16, width);
    buffer.putInt(20, height);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    buffer.putInt(29, (int) crc.getValue());
    return png;
  }

  /** A multipart/form-data body with one {@code file} part; the boundary is {@link #BOUNDARY}. */
  public static byte[] multipart(String fileName, String contentType, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + fileName
            + "\"\r\nContent-Type: "
            + contentType
            + "\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  public static final String BOUNDARY = "hub-test-boundary-7MA4YWxkTrZu0gW";

  /** {@code POST /api/files} with a multipart body, with the test client's token. */
  public static HttpResponse<String> upload(
      String url, String fileName, String contentType, byte[] content) {
    return Http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + Http.TEST_TOKEN)
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(fileName, contentType, content)))
            .build());
  }
}
