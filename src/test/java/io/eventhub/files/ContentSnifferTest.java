package io.eventhub.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.support.FileSamples;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentSnifferTest {

  @Test
  void knowsTypesByTheirBytes() {
    assertThat(ContentSniffer.sniff(FileSamples.png(4, 4))).isEqualTo("image/png");
    assertThat(ContentSniffer.sniff(FileSamples.jpeg(4, 4))).isEqualTo("image/jpeg");
    assertThat(ContentSniffer.sniff(FileSamples.pdf("x"))).isEqualTo("application/pdf");
    assertThat(ContentSniffer.sniff("héllo\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("text/plain");
  }

  @Test
  void binaryOrNonUtf8IsNoText() {
    assertThat(ContentSniffer.sniff(new byte[] {0, 1, 2})).isNull();
    assertThat(ContentSniffer.sniff(new byte[] {'a', (byte) 0xC3})).isNull();
    assertThat(ContentSniffer.sniff(new byte[0])).isNull();
  }
}
