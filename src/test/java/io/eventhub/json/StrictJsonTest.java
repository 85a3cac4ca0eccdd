package io.eventhub.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.delivery.MalformedEventException;
import org.junit.jupiter.api.Test;

/** Exact numbers, money and neutral reasons, without engines. */
class StrictJsonTest {

  private static final ObjectMapper JSON = StrictJson.mapper();

  @Test
  void aDuplicateKeyIsRefusedWithoutQuotingTheDocument() {
    JsonProcessingException e = parseFailure("{\"email\":\"ada@example.com\",\"email\":\"x@y.z\"}");
    assertThat(StrictJson.isDuplicateKey(e)).isTrue();
    assertThat(StrictJson.reason("The body", e))
        .startsWith("The body has a duplicate key at line 1, column")
        .doesNotContain("email")
        .doesNotContain("ada");
  }

  @Test
  void brokenJsonIsDescribedByPlaceOnly() {
    JsonProcessingException e =
        parseFailure("{\"name\":\"Ada Lovelace\",\n \"email\": ada@example.com}");
    assertThat(e.getMessage()).contains("ada");
    assertThat(StrictJson.reason("UserProfileUpdated data", e))
        .isEqualTo("UserProfileUpdated data is not valid JSON at line 2, column 14");
  }

  @Test
  void integersAreReadExactlyWithinTheJavaScriptSafeRange() throws Exception {
    assertThat(JsonNumbers.integer(JSON.readTree("9007199254740991"), "v", 1, Long.MAX_VALUE))
        .isEqualTo(9007199254740991L);
    for (String refused :
        new String[] {
          "9007199254740992", // 2^53
          "18446744073709551617", // 2^64+1, asLong() would make it 1
          "1e400",
          "1.5",
          "1.0",
          "\"7\"",
          "-9007199254740992"
        }) {
      assertThatThrownBy(
              () -> JsonNumbers.integer(JSON.readTree(refused), "version", 1, Long.MAX_VALUE))
          .as(refused)
          .isInstanceOf(MalformedEventException.class)
          .hasMessage("version must be an integer from 1 to 9007199254740991.");
    }
  }

  @Test
  void nonNumbersAreNotJson() {
    assertThat(StrictJson.reason("x", parseFailure("NaN"))).startsWith("x is not valid JSON");
    assertThat(StrictJson.reason("x", parseFailure("Infinity"))).startsWith("x is not valid JSON");
  }

  @Test
  void moneyHasAtMostItsCurrencysDecimals() throws Exception {
    assertThat(Money.violations(amount("42.50", "EUR"), "amount")).isEmpty();
    assertThat(Money.violations(amount("42.500", "EUR"), "amount")).as("42.500 is 42.5").isEmpty();
    assertThat(Money.violations(amount("1000", "JPY"), "amount")).isEmpty();
    assertThat(Money.violations(amount("1.234", "KWD"), "amount")).isEmpty();
    assertThat(Money.violations(amount("42.505", "EUR"), "amount"))
        .containsExactly("amount.value has more than 2 decimals, as its currency allows");
    assertThat(Money.violations(amount("10.5", "JPY"), "amount")).hasSize(1);
    assertThat(Money.violations(amount("1", "ZZZ"), "amount"))
        .containsExactly("amount.currency is not a currency the hub knows");
    assertThat(Money.violations(amount("1", "eur"), "amount")).hasSize(1);
    assertThat(Money.violations(amount("1e400", "EUR"), "amount")).hasSize(1);
    assertThat(Money.violations(amount("-1", "EUR"), "amount")).hasSize(1);
    assertThat(Money.violations(JSON.readTree("{\"value\":\"1\",\"currency\":\"EUR\"}"), "amount"))
        .hasSize(1);
  }

  @Test
  void moneyIsComparedByValueAndCurrency() throws Exception {
    Money order = Money.read(amount("42.50", "EUR"), "amount");
    assertThat(order.sameAs(Money.read(amount("42.5", "EUR"), "amount"))).isTrue();
    assertThat(order.sameAs(Money.read(amount("42.51", "EUR"), "amount"))).isFalse();
    assertThat(order.sameAs(Money.read(amount("42.50", "USD"), "amount"))).isFalse();
  }

  @Test
  void decimalsKeepTheirNotationWhenWrittenAgain() throws Exception {
    assertThat(JSON.readTree("{\"value\":42.50}").toString()).isEqualTo("{\"value\":42.50}");
    assertThat(JSON.readTree("{\"n\":18446744073709551617}").toString())
        .isEqualTo("{\"n\":18446744073709551617}");
  }

  private static JsonNode amount(String value, String currency) throws Exception {
    return JSON.readTree("{\"value\":" + value + ",\"currency\":\"" + currency + "\"}");
  }

  private static JsonProcessingException parseFailure(String json) {
    try {
      JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return e;
    }
    throw new AssertionError("expected a parse failure");
  }
}
