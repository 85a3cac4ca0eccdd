package io.eventhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The door's rules, the token lookup and the redaction, without a server. */
class ApiAccessTest {

  private static final Credential STOREFRONT =
      new Credential(
          "storefront",
          List.of(Credentials.sha256("sf-1"), Credentials.sha256("sf-2")),
          Set.of("OrderCreated"),
          Set.of("orders", "inventory"),
          false);
  private static final Credential OPS =
      new Credential("ops", List.of(Credentials.sha256("ops")), Set.of(), Set.of("dlq"), false);
  private static final Credential ADMIN =
      new Credential("admin", List.of(Credentials.sha256("adm")), Set.of(), Set.of(), true);

  @Test
  void aReadIsTheFirstPathSegmentAndEveryOtherMethodNeedsAdmin() {
    assertThat(ApiAccess.allows(STOREFRONT, HttpMethod.GET, "/api/orders/o-1")).isTrue();
    assertThat(ApiAccess.allows(STOREFRONT, HttpMethod.HEAD, "/api/inventory/SKU-1")).isTrue();
    assertThat(ApiAccess.allows(STOREFRONT, HttpMethod.GET, "/api/users/u-1/profile")).isFalse();
    assertThat(ApiAccess.allows(STOREFRONT, HttpMethod.GET, "/api/ordersx")).isFalse();
    assertThat(ApiAccess.allows(STOREFRONT, HttpMethod.GET, "/api")).isFalse();
    assertThat(ApiAccess.allows(STOREFRONT, HttpMethod.PUT, "/api/inventory/SKU-1")).isFalse();
    assertThat(ApiAccess.allows(STOREFRONT, HttpMethod.POST, "/api/events")).isTrue();
    assertThat(ApiAccess.allows(STOREFRONT, HttpMethod.POST, "/api/orders/o-1")).isFalse();
    assertThat(ApiAccess.allows(OPS, HttpMethod.POST, "/api/events")).isFalse();
    assertThat(ApiAccess.allows(OPS, HttpMethod.GET, "/api/dlq/shipping")).isTrue();
    assertThat(ApiAccess.allows(OPS, HttpMethod.POST, "/api/dlq/shipping/replay")).isFalse();
    assertThat(ApiAccess.allows(OPS, HttpMethod.GET, "/observe/metrics")).isFalse();
    assertThat(ApiAccess.allows(ADMIN, HttpMethod.DELETE, "/api/anything")).isTrue();
  }

  @Test
  void anUploadNeedsTheRightToPublishFileUploadedAndFilesAreReadLikeAnyArea() {
    Credential gallery =
        new Credential(
            "gallery",
            List.of(Credentials.sha256("g")),
            Set.of("FileUploaded"),
            Set.of("files"),
            false);
    assertThat(ApiAccess.allows(gallery, HttpMethod.POST, "/api/files")).isTrue();
    assertThat(ApiAccess.allows(gallery, HttpMethod.GET, "/api/files/f-1/events")).isTrue();
    assertThat(ApiAccess.allows(gallery, HttpMethod.GET, "/api/files/f-1/thumbnails/128")).isTrue();
    assertThat(ApiAccess.allows(gallery, HttpMethod.POST, "/api/files/f-1")).isFalse();
    assertThat(ApiAccess.allows(STOREFRONT, HttpMethod.POST, "/api/files")).isFalse();
    assertThat(ApiAccess.allows(STOREFRONT, HttpMethod.GET, "/api/files/f-1")).isFalse();
  }

  @Test
  void publishingIsPerType() {
    assertThat(STOREFRONT.mayPublish("OrderCreated")).isTrue();
    assertThat(STOREFRONT.mayPublish("UserProfileUpdated")).isFalse();
    assertThat(STOREFRONT.mayPublish(null)).isFalse();
    assertThat(ADMIN.mayPublish("UserProfileUpdated")).isTrue();
  }

  @Test
  void onlyABearerHeaderWithATokenCounts() {
    assertThat(ApiAccess.bearer("Bearer abc")).isEqualTo("abc");
    assertThat(ApiAccess.bearer("bearer abc")).isEqualTo("abc");
    assertThat(ApiAccess.bearer("Bearer ")).isNull();
    assertThat(ApiAccess.bearer("Basic YTpi")).isNull();
    assertThat(ApiAccess.bearer("abc")).isNull();
    assertThat(ApiAccess.bearer(null)).isNull();
  }

  @Test
  void everyTokenOfAClientIsFoundAndNoOtherIs() {
    Credentials credentials = new Credentials(List.of(STOREFRONT, OPS, ADMIN));
    assertThat(credentials.byToken("sf-1")).contains(STOREFRONT);
    assertThat(credentials.byToken("sf-2")).contains(STOREFRONT);
    assertThat(credentials.byToken("ops")).contains(OPS);
    assertThat(credentials.byToken("sf-")).isEmpty();
    assertThat(credentials.byToken("")).isEmpty();
    assertThat(credentials.byToken(null)).isEmpty();
  }

  @Test
  void personalFieldsAreBlankedWhereverTheyAre() {
    PersonalData personal = new PersonalData(new ObjectMapper(), List.of("email", "name", "text"));
    assertThat(
            personal.redact(
                "{\"userId\":\"u\",\"email\":\"a@b.c\",\"nested\":{\"name\":\"Ada\"},"
                    + "\"list\":[{\"text\":\"hi\"}],\"name\":null}"))
        .isEqualTo(
            "{\"userId\":\"u\",\"email\":\"[redacted]\",\"nested\":{\"name\":\"[redacted]\"},"
                + "\"list\":[{\"text\":\"[redacted]\"}],\"name\":null}");
    assertThat(personal.redact("not json a@b.c")).isEqualTo("[redacted]");
    assertThat(personal.redact(null)).isNull();
  }

  @Test
  void theApiDescriptionAndSwaggerUiAreOpenAndNothingElseUnderApiIs() {
    ApiAccess door = new ApiAccess(new Credentials(List.of(ADMIN)), false, false, null, null);
    assertThat(door.guards("/api/openapi.json")).isFalse();
    assertThat(door.guards("/api/docs")).isFalse();
    assertThat(door.guards("/api/docs/swagger-ui-bundle.js")).isFalse();
    assertThat(door.guards("/api/docs/a/b")).isTrue();
    assertThat(door.guards("/api/docsx")).isTrue();
    assertThat(door.guards("/api/openapi.jsonx")).isTrue();
    assertThat(door.guards("/api/orders/order-1")).isTrue();
  }
}
