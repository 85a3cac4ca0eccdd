package io.eventhub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventIdentityTest {

  @Test
  void aKeyIsReadableForPlainSourcesAndIds() {
    assertThat(EventIdentity.key("/shop/checkout", "evt-1")).isEqualTo("/shop/checkout evt-1");
  }

  @Test
  void pairsThatAPlainSpaceJoinWouldConfuseGetDistinctKeys() {
    String first = EventIdentity.key("/shop a", "b");
    String second = EventIdentity.key("/shop", "a b");

    assertThat(first).isNotEqualTo(second);
    assertThat(first).isEqualTo("/shop%20a b");
    assertThat(second).isEqualTo("/shop a%20b");
  }

  @Test
  void everyPairComesBackFromItsKey() {
    String[][] pairs = {
      {"/shop", "evt-1"},
      {"/shop a", "b"},
      {"/shop", "a b"},
      {"100%", "%20"},
      {"/kafka/ünïcødé", "line\r\nbreak\ttab"},
      {" ", " "},
    };
    for (String[] pair : pairs) {
      String key = EventIdentity.key(pair[0], pair[1]);
      assertThat(key).doesNotContain("\r", "\n", "\t").matches("[\\x21-\\x7e]+ [\\x21-\\x7e]+");
      assertThat(EventIdentity.parse(key)).isEqualTo(new EventIdentity.Id(pair[0], pair[1]));
    }
  }

  @Test
  void anEventWithoutSourceOrIdHasNoKey() {
    assertThatThrownBy(() -> EventIdentity.key(null, "evt-1"))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("ce_source");
    assertThatThrownBy(() -> EventIdentity.key("/shop", ""))
        .isInstanceOf(MalformedEventException.class);
  }

  @Test
  void theHubsSourcesAreKnown() {
    assertThat(EventIdentity.hubSource("order-saga")).isEqualTo("/hub/order-saga");
    assertThat(EventIdentity.isHubSource("/hub/inventory")).isTrue();
    assertThat(EventIdentity.isHubSource("/hub")).isTrue();
    assertThat(EventIdentity.isHubSource("/hubris")).isFalse();
    assertThat(EventIdentity.isHubSource("/shop/hub/x")).isFalse();
  }
}
