package io.leakwatch.config;

import java.util.regex.Pattern;

/**
 * Values that are secrets by their look, whatever key they were written under: Slack incoming-webhook URLs
 * ({@code https://hooks.slack.com/...}) and Slack tokens ({@code xoxb-}, {@code xoxp-}, {@code xoxa-}, ...,
 * {@code xapp-}). Anything that may echo a config value masks them, and a key that holds no secret refuses them.
 */
public final class SecretPatterns {
    private static final Pattern SLACK = Pattern.compile(
            "https?://hooks\\.slack(?:-gov)?\\.com/\\S*|\\bxox[a-z]-[A-Za-z0-9-]+|\\bxapp-[A-Za-z0-9-]+");

    private SecretPatterns() {
    }

    public static boolean looksLikeSecret(String value) {
        return value != null && SLACK.matcher(value).find();
    }

    /** The text with every webhook URL and token replaced by {@link Redactor#MASK}. */
    public static String mask(String text) {
        return text == null ? null : SLACK.matcher(text).replaceAll(Redactor.MASK);
    }
}
