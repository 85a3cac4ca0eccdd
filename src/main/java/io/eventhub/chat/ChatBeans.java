package io.eventhub.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.delivery.InboxRepository;
import io.eventhub.http.MainRouter;
import io.eventhub.http.Problems;
import io.eventhub.intake.IntakeBeans;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans of chat: moderation and storage ({@code routes/moderation-on-chat-message-sent}), live
 * delivery over SSE ({@code routes/live-delivery-on-chat-message-moderated}, {@code GET
 * /live/chats/{chatId}}), push ({@code routes/push-on-chat-message-moderated}) and the message
 * search ({@code routes/chats-api}).
 */
public final class ChatBeans {

  static final String LIVE_PATH = "/live/chats/:chatId";
  private static final Logger LOG = LoggerFactory.getLogger(ChatBeans.class);

  private ChatBeans() {}

  public static void bind(
      CamelContext context,
      Settings settings,
      DataSource dataSource,
      ObjectMapper mapper,
      Problems problems,
      IntakeBeans intake) {
    Registry registry = context.getRegistry();
    ChatModeration moderation =
        ChatModeration.fromFiles(
            settings.required("hub.chat.moderation.blocked-words"),
            settings.required("hub.chat.moderation.flagged-words"),
            settings.integer("hub.chat.moderation.max-length"),
            settings.required("hub.chat.moderation.links"),
            settings.list("hub.chat.moderation.allowed-domains"));
    ChatTokens tokens =
        new ChatTokens(
            settings.orBlank("hub.chat.token-secret"),
            settings.duration("hub.chat.token-ttl"),
            Clock.systemUTC());
    if (!tokens.enabled()) {
      LOG.warn(
          "hub.chat.token-secret is not set (at least 16 bytes): chat tokens cannot be minted or"
              + " checked, so live streams and message searches are refused");
    }
    ChatMessages messages =
        new ChatMessages(
            dataSource,
            mapper,
            intake.cloudEvents(),
            intake.catalog(),
            moderation,
            tokens,
            settings.integer("hub.chat.search.default-limit"),
            settings.integer("hub.chat.search.max-limit"));
    ChatLive live =
        new ChatLive(
            dataSource,
            messages,
            tokens,
            problems,
            mapper,
            settings.longValue("hub.chat.presence.lease-ms"));
    registry.bind("chatModeration", moderation);
    registry.bind("chatTokens", tokens);
    registry.bind("chatMessages", messages);
    registry.bind("chatLive", live);
    registry.bind(
        "chatPush", new ChatPush(mapper, live, settings.integer("hub.chat.push.preview-length")));
    registry.bind("chatPushInbox", new InboxRepository(dataSource, "push"));
    // every instance reads every verdict for its own connections: a consumer group of its own
    String group = settings.orBlank("hub.chat.live.group-id");
    if (group.isEmpty() || group.endsWith(".")) {
      settings.set("hub.chat.live.group-id", group + UUID.randomUUID());
    }
    context.getManagementStrategy().addEventNotifier(new LiveEndpoint(context, live));
  }

  /** Puts {@code GET /live/chats/{chatId}} on the platform-http router; closes streams at stop. */
  static final class LiveEndpoint extends EventNotifierSupport {
    private final CamelContext context;
    private final ChatLive live;

    LiveEndpoint(CamelContext context, ChatLive live) {
      this.context = context;
      this.live = live;
      setIgnoreCamelContextInitEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
      return event instanceof CamelEvent.CamelContextRoutesStartingEvent
          || event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
      if (event instanceof CamelEvent.CamelContextStoppingEvent) {
        live.closeAll();
        return;
      }
      MainRouter.of(context)
          .ifPresentOrElse(
              router -> router.get(LIVE_PATH).handler(live),
              () -> LOG.warn("No platform-http router: no live chat streams"));
    }
  }
}
