package io.eventhub.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventhub.http.ProblemException;
import io.eventhub.support.FileSamples;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartTest {

  @Test
  void readsTheFilePart() {
    byte[] png = FileSamples.png(10, 10);
    Multipart.Part part =
        Multipart.part(
            "multipart/form-data; boundary=" + FileSamples.BOUNDARY,
            FileSamples.multipart("a b.png", "image/png", png),
            "file");
    assertThat(part.fileName()).isEqualTo("a b.png");
    assertThat(part.contentType()).isEqualTo("image/png");
    assertThat(part.content()).isEqualTo(png);
  }

  @Test
  void noSuchPartIsA400() {
    assertThatThrownBy(
            () ->
                Multipart.part(
                    "multipart/form-data; boundary=x",
                    "--x\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nv\r\n--x--\r\n"
                        .getBytes(StandardCharsets.UTF_8),
                    "file"))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("no part named 'file'");
  }
}
