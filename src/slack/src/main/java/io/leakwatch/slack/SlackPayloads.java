package io.leakwatch.slack;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.slack.api.util.json.GsonFactory;
import com.slack.api.webhook.Payload;

/**
 * The exact JSON sent to Slack, serialized by the SDK's own {@link GsonFactory} (snake_case). For a webhook it
 * is the request body; for a channel it carries the same fields plus {@code channel}, as chat.postMessage
 * takes them; for chat.update, {@code channel} (the id) and {@code ts} name the message rewritten. --dry-run
 * prints this text, so what is printed is what would be sent.
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

    /** The arguments of chat.update: {@code channel}, {@code ts}, {@code text}, {@code blocks}. */
    public static String updateJson(MessageRef target, SlackMessage replacement) {
        JsonObject content = GSON.toJsonTree(Payload.builder().text(replacement.text()).blocks(replacement.blocks())
                .build()).getAsJsonObject();
        JsonObject update = new JsonObject();
        update.addProperty("channel", target.channel());
        update.addProperty("ts", target.ts());
        update.add("text", content.get("text"));
        update.add("blocks", content.get("blocks"));
        return GSON.toJson(update);
    }
}
