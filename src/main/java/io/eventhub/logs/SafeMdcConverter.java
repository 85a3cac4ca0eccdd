package io.eventhub.logs;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.eventhub.http.LogSafe;
import java.util.List;
import java.util.Map;

/**
 * {@code %correlation} in the text log format: the correlation ids of the line ({@link
 * LogFormat#CORRELATION_KEYS}, or the keys given as options) as {@code " [eventId=.. orderId=..]"},
 * each value escaped ({@link LogSafe}) since ids come from clients; nothing when the line has none.
 */
public class SafeMdcConverter extends ClassicConverter {

  private List<String> keys = LogFormat.CORRELATION_KEYS;

  @Override
  public void start() {
    List<String> options = getOptionList();
    if (options != null && !options.isEmpty()) {
      keys = List.copyOf(options);
    }
    super.start();
  }

  @Override
  public String convert(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc == null || mdc.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String key : keys) {
      String value = mdc.get(key);
      if (value != null) {
        out.append(out.length() == 0 ? " [" : " ").append(key).append('=');
        out.append(LogSafe.text(value));
      }
    }
    return out.length() == 0 ? "" : out.append(']').toString();
  }
}
