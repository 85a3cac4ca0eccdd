package io.eventhub;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The hub's settings as the beans read them: every default is in {@code application.properties},
 * none here. A required key that is missing stops the start with a message naming the key and its
 * environment variable.
 */
public final class Settings {

  private final PropertiesComponent properties;

  public Settings(CamelContext context) {
    this.properties = context.getPropertiesComponent();
  }

  /** The value of a key that must be set (a blank value counts as missing). */
  public String required(String key) {
    return optional(key).orElseThrow(() -> missing(key, ""));
  }

  /** The value of a key that may be unset or blank. */
  public Optional<String> optional(String key) {
    return properties.resolveProperty(key).map(String::trim).filter(value -> !value.isEmpty());
  }

  /** The value, blank when the key is not set. */
  public String orBlank(String key) {
    return optional(key).orElse("");
  }

  public int integer(String key) {
    return Integer.parseInt(required(key));
  }

  public long longValue(String key) {
    return Long.parseLong(required(key));
  }

  public boolean flag(String key) {
    return Boolean.parseBoolean(required(key));
  }

  /** A duration such as {@code 15m}, {@code 30s} or {@code 500} (milliseconds). */
  public Duration duration(String key) {
    return Duration.ofMillis(TimeUtils.toMilliSeconds(required(key)));
  }

  /** A comma-separated list; empty when the key is unset or blank. */
  public List<String> list(String key) {
    return Arrays.stream(orBlank(key).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Sets a key for the rest of the start (e.g. the address of an engine the hub started). */
  public void set(String key, String value) {
    properties.addOverrideProperty(key, value);
  }

  /** The error for a key that must be set; {@code hint} says what else would do. */
  public static IllegalStateException missing(String key, String hint) {
    return new IllegalStateException(
        "Missing setting "
            + key
            + ": set it in application.properties, as -D"
            + key
            + "=... or as the environment variable "
            + environmentVariable(key)
            + hint);
  }

  /** Camel's convention: upper case, dots and dashes as underscores. */
  public static String environmentVariable(String key) {
    return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
