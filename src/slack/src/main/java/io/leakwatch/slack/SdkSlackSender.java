package io.leakwatch.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsConfig;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.webhook.WebhookResponse;
import io.leakwatch.config.Redactor;
import io.leakwatch.config.Secret;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Talks to Slack through the official SDK: {@code Slack.send(url, json)} for incoming webhooks,
 * {@code methods(token).chatPostMessage} for channels and {@code chatUpdate} to rewrite a message the bot token
 * posted. chat.postMessage answers with the channel id and the message's ts, which this returns so the message
 * can be edited later. The SDK's request/response logging listeners are
 * switched off (they would log webhook URLs at debug level), and every failure text passes the
 * {@link Redactor} before it leaves this class.
 */
public final class SdkSlackSender implements SlackSender, AutoCloseable {
    private final Slack slack;
    private final Optional<Secret> botToken;
    private final Redactor redactor;

    /**
     * @param apiUrl   the Web API prefix, e.g. {@code https://slack.com/api/} (tests use a loopback server)
     * @param timeout  per-call HTTP timeout
     */
    public SdkSlackSender(String apiUrl, Optional<Secret> botToken, Redactor redactor, java.time.Duration timeout) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        config.setHttpClientResponseHandlers(List.of());
        config.setPrettyResponseLoggingEnabled(false);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.setHttpClientCallTimeoutMillis(millis);
        config.setHttpClientReadTimeoutMillis(millis);
        config.setHttpClientWriteTimeoutMillis(millis);
        MethodsConfig methods = new MethodsConfig();
        methods.setStatsEnabled(false);
        config.setMethodsConfig(methods);
        this.slack = Slack.getInstance(config);
        this.botToken = botToken;
        this.redactor = redactor;
    }

    @Override
    public SendResult send(Destination destination, SlackMessage message) {
        try {
            if (destination instanceof Destination.Webhook webhook) {
                WebhookResponse response = slack.send(webhook.url().reveal(), SlackPayloads.json(destination, message));
                return redacted(SlackResponses.ofWebhook(response.getCode(), response.getBody(), response.getHeaders()));
            }
            Destination.Channel channel = (Destination.Channel) destination;
            ChatPostMessageRequest request = ChatPostMessageRequest.builder()
                    .channel(channel.channel())
                    .text(message.text())
                    .blocks(message.blocks())
                    .build();
            ChatPostMessageResponse response = slack.methods(token(channel).reveal()).chatPostMessage(request);
            if (response.isOk()) {
                return new SendResult.Accepted(response.getChannel() == null || response.getTs() == null
                        ? Optional.empty() : Optional.of(new MessageRef(response.getChannel(), response.getTs())));
            }
            return redacted(SlackResponses.ofMethodError(response.getError(), response.getHttpResponseHeaders()));
        } catch (SlackApiException e) {
            return failed(e);
        } catch (IOException | RuntimeException e) {
            // the SDK wraps some I/O problems in unchecked exceptions; treat them as transient, bounded by retries
            return new SendResult.Transient(redactor.redact(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    @Override
    public SendResult update(MessageRef target, SlackMessage replacement) {
        try {
            ChatUpdateRequest request = ChatUpdateRequest.builder()
                    .channel(target.channel())
                    .ts(target.ts())
                    .text(replacement.text())
                    .blocks(replacement.blocks())
                    .build();
            ChatUpdateResponse response = slack.methods(token(target).reveal()).chatUpdate(request);
            if (response.isOk()) {
                return new SendResult.Accepted();
            }
            return redacted(SlackResponses.ofMethodError(response.getError(), response.getHttpResponseHeaders()));
        } catch (SlackApiException e) {
            return failed(e);
        } catch (IOException | RuntimeException e) {
            return new SendResult.Transient(redactor.redact(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private Secret token(Object target) {
        return botToken.orElseThrow(() -> new IllegalStateException("no bot token for " + target));
    }

    private SendResult failed(SlackApiException e) {
        Map<String, List<String>> headers = e.getResponse().headers().toMultimap();
        String error = e.getError() != null ? e.getError().getError() : e.getResponseBody();
        return redacted(SlackResponses.ofMethodStatus(e.getResponse().code(), error, headers));
    }

    private SendResult redacted(SendResult result) {
        if (result instanceof SendResult.Permanent p) {
            return new SendResult.Permanent(redactor.redact(p.reason()));
        }
        if (result instanceof SendResult.Transient t) {
            return new SendResult.Transient(redactor.redact(t.reason()));
        }
        return result;
    }

    @Override
    public void close() throws Exception {
        slack.close();
    }
}
