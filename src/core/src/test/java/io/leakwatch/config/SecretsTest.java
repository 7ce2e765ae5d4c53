package io.leakwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    private static final String HOOK = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";

    @Test
    void shouldResolveEnvAndFileReferencesAndNeverPrintTheValue(@TempDir Path dir) throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "xoxb-from-file\n");
        SecretResolver resolver = new SecretResolver(Map.of("HOOK", HOOK)::get);

        Secret hook = resolver.secret("slack.default.webhook", "${env:HOOK}");
        Secret token = resolver.secret("slack.bot-token", "${file:" + tokenFile + "}");

        assertThat(hook.reveal()).isEqualTo(HOOK);
        assertThat(token.reveal()).isEqualTo("xoxb-from-file");
        assertThat(hook.toString()).doesNotContain("XXXXSECRET").isEqualTo("****(env:HOOK)");
        assertThat(resolver.redactor().redact("POST " + HOOK + " failed; token xoxb-from-file"))
                .isEqualTo("POST **** failed; token ****");
    }

    @Test
    void shouldMaskInlineSecretsToo() {
        SecretResolver resolver = new SecretResolver(k -> null);
        Secret inline = resolver.secret("slack.default.webhook", HOOK);
        assertThat(inline.toString()).doesNotContain("XXXXSECRET");
        assertThat(resolver.redactor().redact("java.io.IOException: " + HOOK)).doesNotContain("XXXXSECRET");
    }

    @Test
    void shouldFailWithOneLineWhenTheVariableIsMissing() {
        SecretResolver resolver = new SecretResolver(k -> null);
        assertThatThrownBy(() -> resolver.secret("slack.bot-token", "${env:NOPE}"))
                .isInstanceOf(BadConfigException.class)
                .hasMessage("slack.bot-token refers to environment variable NOPE, which is not set");
        assertThatThrownBy(() -> resolver.secret("slack.bot-token", "${file:/does/not/exist}"))
                .isInstanceOf(BadConfigException.class).hasMessageNotContaining("\n");
    }

    @Test
    void shouldMaskASecretAlsoAsAJsonStringHoldsIt() {
        SecretResolver resolver = new SecretResolver(Map.of("KEY", "a=b&c<d")::get);
        resolver.secret("slack.link-template", "${env:KEY}");

        assertThat(resolver.redactor().redact("{\"url\":\"https://x/?k\\u003d1&key=a\\u003db\\u0026c\\u003cd\"}"))
                .isEqualTo("{\"url\":\"https://x/?k\\u003d1&key=****\"}");
    }
}
