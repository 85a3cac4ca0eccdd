package io.eventhub;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListener;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the hub: {@code java -jar target/camel-event-hub.jar}, or {@code mvn compile camel:run}
 * for the dev profile. A start that fails (a missing setting, an engine out of reach) ends the
 * process with exit code 1 and says why in one line.
 */
public final class App {

  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  private App() {}

  /**
   * Camel's dev profile scans the whole class path for health checks to load (META-INF/services),
   * about 1.7 s of the start's CPU on the main thread; the checks the hub reports are registered by
   * its configuration (camel.health.*, io.eventhub.health) in every profile, as in production,
   * where Camel does not scan. Set after the profile is applied, before the context starts.
   */
  static final MainListener WITHOUT_HEALTH_CHECK_SCAN =
      new MainListenerSupport() {
        @Override
        public void afterConfigure(BaseMainSupport main) {
          main.getCamelContext().setLoadHealthChecks(false);
        }
      };

  public static void main(String[] args) {
    Main main = new Main();
    main.configure().addConfiguration(HubConfiguration.class);
    main.addMainListener(WITHOUT_HEALTH_CHECK_SCAN);
    int exitCode;
    try {
      exitCode = main.run(args);
    } catch (Exception e) {
      LOG.error("Camel Event Hub did not start: {}", reason(e));
      LOG.debug("The start failed", e);
      exitCode = 1;
    }
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /** The message of the innermost cause, which names what is missing. */
  private static String reason(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }
}
