package io.leakwatch.slack;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * --dry-run: prints each call's JSON payload (exactly what would be sent) instead of sending it. A channel
 * post is answered with the ts {@value #NOT_POSTED}, so a later change to the same alert in the same run prints
 * the chat.update the real bridge would make, naming a message that does not exist.
 */
public final class DryRunSender implements SlackSender {
    public static final String NOT_POSTED = "not-posted-dry-run";
    private final PrintWriter out;

    public DryRunSender(PrintWriter out) {
        this.out = out;
    }

    @Override
    public SendResult send(Destination destination, SlackMessage message) {
        out.println("# " + destination + switch (message.kind()) {
            case DIGEST -> " (digest of " + message.alertIds().size() + " alerts)";
            case UPDATE_DIGEST -> " (digest of changes to " + message.alertIds().size() + " alerts)";
            case FOLLOW_UP -> " (follow-up to alert " + message.alertIds().get(0) + ")";
            default -> "";
        });
        out.println(SlackPayloads.json(destination, message));
        out.flush();
        return destination instanceof Destination.Channel channel
                ? new SendResult.Accepted(Optional.of(new MessageRef(channel.channel(), NOT_POSTED)))
                : new SendResult.Accepted();
    }

    @Override
    public SendResult update(MessageRef target, SlackMessage replacement) {
        out.println("# chat.update " + target + " (alert " + String.join(",", replacement.alertIds()) + ")");
        out.println(SlackPayloads.updateJson(target, replacement));
        out.flush();
        return new SendResult.Accepted();
    }
}
