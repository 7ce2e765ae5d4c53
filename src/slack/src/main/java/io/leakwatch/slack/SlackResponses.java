package io.leakwatch.slack;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Classifies Slack's answers. Webhooks answer with an HTTP status and a short text body ({@code ok},
 * {@code no_service}, {@code invalid_token}, ...); chat.postMessage and chat.update answer HTTP 200 with
 * {@code ok:false} and an error code for most failures. Rules:
 * <ul>
 *   <li>429 or error {@code ratelimited}: wait Retry-After seconds (1 s when absent).</li>
 *   <li>5xx, or errors {@code internal_error, fatal_error, service_unavailable, request_timeout}: transient.</li>
 *   <li>any other 4xx or error code (404 no_service, invalid_token, channel_not_found, message_not_found,
 *   cant_update_message, ...): permanent.</li>
 * </ul>
 */
public final class SlackResponses {
    private static final Set<String> TRANSIENT_ERRORS =
            Set.of("internal_error", "fatal_error", "service_unavailable", "request_timeout", "timeout");

    private SlackResponses() {
    }

    public static SendResult ofWebhook(int status, String body, Map<String, List<String>> headers) {
        String text = body == null ? "" : body.strip();
        if (status == 200) {
            return new SendResult.Accepted();
        }
        if (status == 429) {
            return new SendResult.RetryAfter(retryAfter(headers));
        }
        String reason = "HTTP " + status + (text.isEmpty() ? "" : " " + firstLine(text));
        return status >= 500 ? new SendResult.Transient(reason) : new SendResult.Permanent(reason);
    }

    /** chat.postMessage or chat.update answered HTTP 200 with ok=false. */
    public static SendResult ofMethodError(String error, Map<String, List<String>> headers) {
        String code = error == null ? "unknown_error" : error;
        if (code.equals("ratelimited")) {
            return new SendResult.RetryAfter(retryAfter(headers));
        }
        return TRANSIENT_ERRORS.contains(code) ? new SendResult.Transient(code) : new SendResult.Permanent(code);
    }

    /** chat.postMessage or chat.update answered with a non-200 HTTP status. */
    public static SendResult ofMethodStatus(int status, String error, Map<String, List<String>> headers) {
        if (status == 429) {
            return new SendResult.RetryAfter(retryAfter(headers));
        }
        String reason = "HTTP " + status + (error == null || error.isBlank() ? "" : " " + firstLine(error));
        return status >= 500 ? new SendResult.Transient(reason) : new SendResult.Permanent(reason);
    }

    static Duration retryAfter(Map<String, List<String>> headers) {
        if (headers != null) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals("retry-after")
                        && e.getValue() != null && !e.getValue().isEmpty()) {
                    try {
                        long seconds = Long.parseLong(e.getValue().get(0).trim());
                        return Duration.ofSeconds(Math.max(seconds, 0));
                    } catch (NumberFormatException ignored) {
                        // an HTTP date or garbage: fall back to the default
                    }
                }
            }
        }
        return Duration.ofSeconds(1);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
