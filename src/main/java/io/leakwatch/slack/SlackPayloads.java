package io.leakwatch.slack;

import com.google.gson.Gson;
import com.slack.api.util.json.GsonFactory;
import com.slack.api.webhook.Payload;

/**
 * The exact JSON sent to Slack, serialized by the SDK's own {@link GsonFactory} (snake_case). For a webhook it
 * is the request body; for a channel it carries the same fields plus {@code channel}, as chat.postMessage
 * takes them. --dry-run prints this text, so what is printed is what would be sent.
 */
public final class SlackPayloads {
    private static final Gson GSON = GsonFactory.createSnakeCase();

    private SlackPayloads() {
    }

    public static Payload payload(Destination destination, SlackMessage message) {
        Payload.PayloadBuilder builder = Payload.builder().text(message.text()).blocks(message.blocks());
        if (destination instanceof Destination.Channel channel) {
            builder.channel(channel.channel());
        }
        return builder.build();
    }

    public static String json(Destination destination, SlackMessage message) {
        return GSON.toJson(payload(destination, message));
    }
}
