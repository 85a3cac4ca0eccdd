package io.eventhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventhub.Settings;
import io.eventhub.support.CapturedLogs;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * hub.inventory.isolation.<operation>: each follows hub.inventory.isolation unless set, a wrong
 * level stops the start naming its key, and READ_UNCOMMITTED is accepted and said once, at start,
 * to run as READ COMMITTED in PostgreSQL.
 */
class IsolationPerOperationTest {

  @Test
  void eachOperationFollowsTheCommonLevelUnlessSet() {
    Map<String, String> levels =
        InventoryBeans.isolationPerOperation(settings("REPEATABLE_READ", null, null));
    assertThat(levels)
        .containsExactly(
            Map.entry("hub.inventory.isolation.reserve", "REPEATABLE_READ"),
            Map.entry("hub.inventory.isolation.release", "REPEATABLE_READ"),
            Map.entry("hub.inventory.isolation.set-stock", "REPEATABLE_READ"));
    assertThat(
            InventoryBeans.isolationPerOperation(settings("READ_COMMITTED", "SERIALIZABLE", null)))
        .containsEntry("hub.inventory.isolation.reserve", "SERIALIZABLE")
        .containsEntry("hub.inventory.isolation.release", "READ_COMMITTED");
  }

  @Test
  void aWrongLevelNamesItsKey() {
    assertThatThrownBy(
            () ->
                InventoryBeans.isolationPerOperation(settings("READ_COMMITTED", "SNAPSHOT", null)))
        .hasMessageContaining("hub.inventory.isolation.reserve is 'SNAPSHOT'")
        .hasMessageContaining("READ_UNCOMMITTED");
  }

  @Test
  void readUncommittedIsAcceptedAndSaidToRunAsReadCommitted() {
    try (CapturedLogs logs = new CapturedLogs()) {
      InventoryBeans.isolationPerOperation(settings("READ_COMMITTED", null, "READ_UNCOMMITTED"));
      assertThat(logs.lines())
          .filteredOn(line -> line.contains("READ_UNCOMMITTED"))
          .singleElement()
          .asString()
          .contains("hub.inventory.isolation.set-stock")
          .contains("runs as READ COMMITTED in PostgreSQL")
          .contains("never shows uncommitted rows");
    }
  }

  private static Settings settings(String common, String reserve, String setStock) {
    DefaultCamelContext context = new DefaultCamelContext();
    Properties properties = new Properties();
    properties.put("hub.inventory.isolation", common);
    for (String operation : InventoryBeans.OPERATIONS) {
      properties.put("hub.inventory.isolation." + operation, "{{hub.inventory.isolation}}");
    }
    if (reserve != null) {
      properties.put("hub.inventory.isolation.reserve", reserve);
    }
    if (setStock != null) {
      properties.put("hub.inventory.isolation.set-stock", setStock);
    }
    context.getPropertiesComponent().setInitialProperties(properties);
    return new Settings(context);
  }
}
