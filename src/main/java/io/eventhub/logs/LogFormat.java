package io.eventhub.logs;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log format, {@code hub.log.format}: {@code text} (one line per event, the correlation ids at
 * its end) or {@code json} (one JSON object per line, Logback's {@link JsonEncoder}: level, logger,
 * message, the MDC with the correlation ids, key-value pairs). logback.xml picks it at start from
 * the system property or the environment (HUB_LOG_FORMAT); {@link #apply} sets it again from the
 * hub's configuration, so application.properties can switch it too.
 */
public final class LogFormat {

  /** The MDC keys of the correlation ids (exchange properties, camel.mdc.customProperties). */
  public static final List<String> CORRELATION_KEYS =
      List.of("eventId", "eventType", "hubService", "orderId", "fileId", "chatId", "userId");

  /** The names of the console appenders in logback.xml begin with this (console, console-json). */
  static final String APPENDER = "console";

  /** The text pattern, a property of logback.xml. */
  static final String TEXT_PATTERN = "HUB_TEXT_PATTERN";

  private static final Logger LOG = LoggerFactory.getLogger(LogFormat.class);

  private LogFormat() {}

  /** Sets the console's format: {@code text} or {@code json}. */
  public static void apply(String format) {
    String wanted = format.trim().toLowerCase(Locale.ROOT);
    if (!wanted.equals("text") && !wanted.equals("json")) {
      throw new IllegalArgumentException("hub.log.format is text or json, not " + format);
    }
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    OutputStreamAppender<ILoggingEvent> console = console(context);
    if (console == null) {
      // logback.xml found no appender for the format it was given (HUB_LOG_FORMAT=JSON): one now
      ConsoleAppender<ILoggingEvent> added = new ConsoleAppender<>();
      added.setContext(context);
      added.setName(APPENDER + "-" + wanted);
      added.setEncoder(wanted.equals("json") ? json(context) : text(context));
      added.start();
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(added);
      return;
    }
    boolean json = console.getEncoder() instanceof JsonEncoder;
    if (json == wanted.equals("json")) {
      return;
    }
    Encoder<ILoggingEvent> encoder = wanted.equals("json") ? json(context) : text(context);
    console.stop();
    console.setEncoder(encoder);
    console.start();
    LOG.info("Log format: {}", wanted);
  }

  /**
   * A JSON encoder of this context, one object per line, as console-json in logback.xml: the
   * message formatted (not its pattern and arguments apart), without the logger context.
   */
  public static JsonEncoder json(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithContext(false);
    encoder.start();
    return encoder;
  }

  private static PatternLayoutEncoder text(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    String pattern = context.getProperty(TEXT_PATTERN);
    encoder.setPattern(
        pattern != null ? pattern : "%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n");
    encoder.start();
    return encoder;
  }

  /** The console appender, if logback.xml set it up. */
  static OutputStreamAppender<ILoggingEvent> console(LoggerContext context) {
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> appender = it.next();
      if (appender.getName() != null
          && appender.getName().startsWith(APPENDER)
          && appender instanceof OutputStreamAppender<ILoggingEvent> stream) {
        return stream;
      }
    }
    return null;
  }
}
