package io.eventhub.profile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.engines.EngineConfiguration;
import io.eventhub.reliability.VersionGuardedProfileCache;
import java.net.URI;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans of the user profile routes and their query APIs ({@code routes/*-on-user-profile-
 * updated.camel.yaml}, {@code routes/users-api.camel.yaml}, {@code
 * routes/analytics-api.camel.yaml}).
 */
public final class ProfileBeans {

  private static final Logger LOG = LoggerFactory.getLogger(ProfileBeans.class);

  private ProfileBeans() {}

  public static void bind(CamelContext context, Settings settings, ObjectMapper mapper)
      throws Exception {
    Registry registry = context.getRegistry();
    registry.bind("profileUpdates", new ProfileUpdates(mapper));
    ProfileChangeLog profileChangeLog = new ProfileChangeLog();
    profileChangeLog.setMaxRows(settings.integer("hub.analytics.max-rows"));
    registry.bind("profileChangeLog", profileChangeLog);
    // never back in version, whatever users.events holds (io.eventhub.reliability)
    registry.bind(
        "profileCache",
        new VersionGuardedProfileCache(
            registry.lookupByNameAndType("dataSource", DataSource.class),
            profileCache(context, settings)));
    // notification: the email of a change; recommendation: the changed preferences
    ProfileEmails emails = new ProfileEmails();
    emails.setCamelContext(context);
    emails.setTemplate(settings.required("hub.notification.template"));
    emails.setSilentFields(settings.orBlank("hub.notification.silent-fields"));
    registry.bind("profileEmails", emails);
    registry.bind("preferenceChanges", new PreferenceChanges());
  }

  /**
   * The profile cache: Redis when {@code hub.cache.redis.url} is set, else in this process. A cache
   * in this process is this instance's alone, so its cache sync reads users.events from the
   * beginning as a consumer group of its own: a restart fills it again.
   */
  private static ProfileCache profileCache(CamelContext context, Settings settings)
      throws Exception {
    String url = settings.orBlank("hub.cache.redis.url");
    if (url.isEmpty()) {
      settings.set(
          "hub.cache.sync.group-id",
          settings.required("hub.cache.sync.group-id") + "." + UUID.randomUUID());
      return new InMemoryProfileCache();
    }
    RedisProfileCache cache =
        new RedisProfileCache(url, settings.required("hub.cache.redis.key-prefix"));
    context.addService(EngineConfiguration.stopping(cache), true, true);
    URI address = URI.create(url);
    // the address without credentials
    LOG.info("Profile cache in Redis at {}:{}", address.getHost(), address.getPort());
    return cache;
  }
}
