package io.eventhub.lab;

/**
 * One benchmark point: a workload, an isolation level and a locking strategy at a number of
 * clients, measured through the Camel route and through the plain JDBC runner.
 */
record Measurement(
    String workload,
    String isolation,
    String locking,
    int clients,
    Cell.Result camel,
    long camelReruns,
    long camelOversold,
    Cell.Result jdbc,
    long jdbcReruns,
    long jdbcOversold) {

  double ratio() {
    return jdbc.perSecond() == 0 ? 0 : camel.perSecond() / jdbc.perSecond();
  }
}
