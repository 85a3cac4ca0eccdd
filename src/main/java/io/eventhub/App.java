package io.eventhub;

import org.apache.camel.main.Main;

/** Starts the hub: {@code mvn compile camel:run}. */
public final class App {

  private App() {}

  public static void main(String[] args) throws Exception {
    Main main = new Main();
    main.configure().addConfiguration(HubConfiguration.class);
    main.run(args);
  }
}
