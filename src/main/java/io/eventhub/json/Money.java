package io.eventhub.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventhub.delivery.MalformedEventException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An amount of money, {@code {"value", "currency"}}, read exactly: the value as a decimal between 0
 * and {@link #MAX} with no more decimals than its currency has ({@link
 * Currency#getDefaultFractionDigits()}: 2 for EUR, 0 for JPY, 3 for KWD), the currency an ISO 4217
 * code Java knows. Two amounts are the same when their values are numerically equal (42.5 and
 * 42.50) and their currencies are the same code.
 */
public record Money(BigDecimal value, String currency) {

  /** The largest amount the hub takes (the schemas' maximum too). */
  public static final BigDecimal MAX = new BigDecimal("1000000000000");

  private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

  /**
   * The money in {@code amount}.
   *
   * @throws MalformedEventException saying which part is wrong, never what it holds
   */
  public static Money read(JsonNode amount, String field) {
    List<String> problems = violations(amount, field);
    if (!problems.isEmpty()) {
      throw new MalformedEventException(String.join("; ", problems));
    }
    return new Money(amount.get("value").decimalValue(), amount.get("currency").textValue());
  }

  /** What is wrong with {@code amount} as money, one line per problem; empty when it is money. */
  public static List<String> violations(JsonNode amount, String field) {
    List<String> problems = new ArrayList<>();
    if (amount == null || !amount.isObject()) {
      problems.add(field + " must be an object {\"value\", \"currency\"}");
      return problems;
    }
    JsonNode currencyNode = amount.get("currency");
    int digits = -1;
    if (currencyNode == null
        || !currencyNode.isTextual()
        || !CODE.matcher(currencyNode.textValue()).matches()) {
      problems.add(field + ".currency must be a three-letter ISO 4217 code");
    } else {
      digits = fractionDigits(currencyNode.textValue());
      if (digits < 0) {
        problems.add(field + ".currency is not a currency the hub knows");
      }
    }
    JsonNode valueNode = amount.get("value");
    if (valueNode == null || !valueNode.isNumber() || !isFinite(valueNode)) {
      problems.add(field + ".value must be a number");
      return problems;
    }
    BigDecimal value = valueNode.decimalValue();
    if (value.signum() < 0 || value.compareTo(MAX) > 0) {
      problems.add(field + ".value must be from 0 to " + MAX.toPlainString());
    } else if (digits >= 0 && Math.max(0, value.stripTrailingZeros().scale()) > digits) {
      problems.add(field + ".value has more than " + digits + " decimals, as its currency allows");
    }
    return problems;
  }

  /** Whether this is the same amount in the same currency (42.5 EUR is 42.50 EUR). */
  public boolean sameAs(Money other) {
    return other != null && value.compareTo(other.value) == 0 && currency.equals(other.currency);
  }

  /** The currency's number of decimals, or -1 when Java does not know it or it has none. */
  static int fractionDigits(String code) {
    try {
      return Currency.getInstance(code).getDefaultFractionDigits();
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private static boolean isFinite(JsonNode node) {
    return !node.isFloatingPointNumber()
        || node.isBigDecimal()
        || Double.isFinite(node.doubleValue());
  }
}
