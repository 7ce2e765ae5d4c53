package io.leakwatch.slack;

/** Posts one message to a destination. Never throws for Slack's or the network's failures: it classifies them. */
public interface SlackSender {
    SendResult send(Destination destination, SlackMessage message);
}
