package io.eventhub.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.http.Problems;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's credentials and its door ({@link ApiAccess}, bound as {@code apiAccess} for the
 * routes), and the problem answers of the HTTP server itself ({@link HttpDoor}). With no client
 * configured the start stops, naming the key, unless {@code hub.security.open=true}.
 */
public final class SecurityBeans {

  private static final Logger LOG = LoggerFactory.getLogger(SecurityBeans.class);
  static final String DEV_TOKEN = "dev-token";

  private SecurityBeans() {}

  public static ApiAccess bind(
      CamelContext context, Settings settings, ObjectMapper mapper, Problems problems)
      throws Exception {
    boolean open = settings.flag("hub.security.open");
    Credentials credentials = Credentials.read(settings);
    if (credentials.isEmpty() && !open) {
      throw Settings.missing(
          Credentials.CLIENTS,
          ": the API's clients, each with its token in hub.security.tokens.<client>.token (or set"
              + " hub.security.open=true to run the API without credentials)");
    }
    if (open) {
      LOG.warn(
          "*** hub.security.open=true: /api/* answers ANY caller, with no credentials. Never run"
              + " like this where others can reach the hub. ***");
    }
    for (Credential credential : credentials.all()) {
      if (credentials.accepts(credential, DEV_TOKEN)) {
        LOG.warn(
            "The API accepts 'Authorization: Bearer {}' (client {}) {}: the dev profile's token,"
                + " never to be used anywhere else",
            DEV_TOKEN,
            credential.client(),
            credential.admin() ? "with every right" : "");
      }
    }
    ApiAccess access =
        new ApiAccess(
            credentials,
            open,
            settings.flag("hub.security.protect-metrics"),
            problems,
            new PersonalData(mapper, settings.list("hub.security.personal-fields")));
    context.getRegistry().bind("apiAccess", access);
    context.getManagementStrategy().addEventNotifier(new HttpDoor(context, access, problems));
    return access;
  }
}
