package io.leakwatch.slack;

import io.leakwatch.config.Redactor;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * --dry-run: prints each call's JSON payload (exactly what would be sent) instead of sending it. A channel
 * post is answered with the ts {@value #NOT_POSTED}, so a later change to the same alert in the same run prints
 * the chat.update the real bridge would make, naming a message that does not exist. Secrets are masked in what
 * it prints: a link template or a channel that came from the environment shows as {@code ****}.
 */
public final class DryRunSender implements SlackSender {
    public static final String NOT_POSTED = "not-posted-dry-run";
    private final PrintWriter out;
    private final Redactor redactor;

    public DryRunSender(PrintWriter out, Redactor redactor) {
        this.out = out;
        this.redactor = redactor;
    }

    @Override
    public SendResult send(Destination destination, SlackMessage message) {
        print("# " + destination + switch (message.kind()) {
            case DIGEST -> " (digest of " + message.alertIds().size() + " alerts)";
            case UPDATE_DIGEST -> " (digest of changes to " + message.alertIds().size() + " alerts)";
            case FOLLOW_UP -> " (follow-up to alert " + message.alertIds().get(0) + ")";
            default -> "";
        });
        print(SlackPayloads.json(destination, message));
        return destination instanceof Destination.Channel channel
                ? new SendResult.Accepted(Optional.of(new MessageRef(channel.channel(), NOT_POSTED)))
                : new SendResult.Accepted();
    }

    @Override
    public SendResult update(MessageRef target, SlackMessage replacement) {
        print("# chat.update " + target + " (alert " + String.join(",", replacement.alertIds()) + ")");
        print(SlackPayloads.updateJson(target, replacement));
        return new SendResult.Accepted();
    }

    private void print(String line) {
        out.println(redactor.redact(line));
        out.flush();
    }
}
