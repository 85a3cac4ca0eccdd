package io.eventhub.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What of a profile may go into its confirmation email: a flat, bounded name; a plain address. */
class ProfileEmailAddressTest {

  @Test
  void aNameCannotAddLinesOrHeaders() {
    assertThat(ProfileEmails.displayName("Ada\r\nBcc: eve@example.org\u2028x\u0085y\u0000z"))
        .isEqualTo("Ada Bcc: eve@example.org x y z")
        .doesNotContain("\r", "\n");
    assertThat(ProfileEmails.displayName("x".repeat(500))).hasSize(ProfileEmails.MAX_NAME);
    assertThat(ProfileEmails.displayName(null)).isEmpty();
    assertThat(ProfileEmails.displayName("Ada Lovelace")).isEqualTo("Ada Lovelace");
  }

  @Test
  void onlyPlainAddressesAreTaken() {
    assertThat(ProfileEmails.ADDRESS.matcher("ada.lovelace+shop@mail.example.com").matches())
        .isTrue();
    for (String bad :
        new String[] {
          "ada@example.com\r\nBcc: eve@example.org",
          "\"ada\"@example.com",
          "ada@example.com, eve@example.org",
          "Ada <ada@example.com>",
          "ada@localhost",
          "ada@-example.com",
          "ada@example..com",
          "@example.com"
        }) {
      assertThat(ProfileEmails.ADDRESS.matcher(bad).matches()).as(bad).isFalse();
    }
  }
}
