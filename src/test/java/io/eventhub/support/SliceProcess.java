package io.eventhub.support;

import io.eventhub.App;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A hub of the shipping slice (intake, delivery conventions, shipping) as a process of its own, on
 * a test's private engines, with the test client's admin token: the crash and shutdown tests kill
 * or stop it like an operator would.
 */
public final class SliceProcess {

  public static final String SLICE =
      "file:routes/delivery-conventions.camel.yaml,file:routes/intake-events.camel.yaml,file:routes/intake-batch.camel.yaml,"
          + "file:routes/outside-services.camel.yaml,file:routes/consumer-templates.camel.yaml,"
          + "file:routes/shipping-on-order-created.camel.yaml";

  private SliceProcess() {}

  /** Starts it on this port, its output to the log file; extra {@code -D} settings may be given. */
  public static Process start(
      PrivateEngines engines, int port, String shippingUrl, File log, String... settings)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.add("-Dhub.http.port=" + port);
    command.add("-Dcamel.component.kafka.brokers=" + engines.brokers());
    command.add("-Dhub.db.url=" + engines.jdbcUrl());
    command.add("-Dhub.db.user=postgres");
    command.add("-Dhub.services.shipping.url=" + shippingUrl);
    command.add("-Dcamel.main.routes-include-pattern=" + SLICE);
    // the API's client whose token Http sends
    command.add("-Dhub.security.clients=test");
    command.add("-Dhub.security.tokens.test.token=" + Http.TEST_TOKEN);
    command.add("-Dhub.security.tokens.test.roles=admin");
    for (String setting : settings) {
      command.add("-D" + setting);
    }
    command.add(App.class.getName());
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }
}
