package io.leakwatch.slack;

/** Talks to Slack. Never throws for Slack's or the network's failures: it classifies them. */
public interface SlackSender {
    /** Posts a new message: chat.postMessage for a channel, the URL for a webhook. */
    SendResult send(Destination destination, SlackMessage message);

    /** Replaces the content of a message the bot token posted (chat.update); the channel is not notified. */
    SendResult update(MessageRef target, SlackMessage replacement);
}
