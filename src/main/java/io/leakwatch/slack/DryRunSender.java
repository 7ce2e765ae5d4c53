package io.leakwatch.slack;

import java.io.PrintWriter;

/** --dry-run: prints each message's JSON payload (exactly what would be sent) instead of sending it. */
public final class DryRunSender implements SlackSender {
    private final PrintWriter out;

    public DryRunSender(PrintWriter out) {
        this.out = out;
    }

    @Override
    public SendResult send(Destination destination, SlackMessage message) {
        out.println("# " + destination + (message.isDigest() ? " (digest of " + message.alertIds().size() + " alerts)" : ""));
        out.println(SlackPayloads.json(destination, message));
        out.flush();
        return new SendResult.Accepted();
    }
}
