package io.leakwatch.slack;

import java.util.Objects;

/**
 * A message the bot token posted, as chat.postMessage answered: the channel id (not the name the route gives:
 * chat.update only takes the id) and the message's {@code ts}. With both, the message can be rewritten later.
 */
public record MessageRef(String channel, String ts) {
    public MessageRef {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(ts, "ts");
    }

    @Override
    public String toString() {
        return channel + "/" + ts;
    }
}
