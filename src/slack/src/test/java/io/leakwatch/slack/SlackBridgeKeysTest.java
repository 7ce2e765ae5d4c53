package io.leakwatch.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.config.BadConfigException;
import io.leakwatch.config.ConfigValues;
import io.leakwatch.config.SecretResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one definition of the slack.* keys: what docs/slack.md lists, and one-line refusals. */
class SlackBridgeKeysTest {
    /** When they differ, the message holds the table to paste. */
    @Test
    void shouldDocumentEverySlackKeyAsTheDefinitionSays() throws IOException {
        String doc = Files.readString(Path.of("docs/slack.md"));
        int from = doc.indexOf('\n', doc.indexOf("<!-- slack-keys:begin")) + 1;
        String documented = doc.substring(from, doc.indexOf("<!-- slack-keys:end -->"));
        String expected = SlackBridgeKeys.DEFINITION.markdownTable();

        assertThat(documented)
                .as("docs/slack.md's table of slack.* keys differs from SlackBridgeKeys; paste this between the markers:%n%s",
                        expected)
                .isEqualTo(expected);
    }

    @Test
    void shouldRefuseAnUnknownRouteFieldAndSuggestTheNearestOne() {
        assertThatThrownBy(() -> SlackBridgeKeys.DEFINITION.parse(ConfigValues.of(Map.of("slack.route.ops.chanel", "#ops"))))
                .isInstanceOf(BadConfigException.class)
                .hasMessage("slack.route.ops.chanel is not a Slack bridge setting; did you mean slack.route.ops.channel?"
                        + " (see docs/slack.md)");
    }

    @Test
    void shouldRefuseABadDurationWithoutShowingASecret() {
        ConfigValues values = ConfigValues.resolve(Map.of("slack.http.timeout", "${env:TIMEOUT}"),
                new SecretResolver(Map.of("TIMEOUT", "ten-seconds-secret")::get));

        assertThatThrownBy(() -> SlackBridgeKeys.DEFINITION.parse(values))
                .hasMessage("slack.http.timeout: ****(env:TIMEOUT) is not a duration such as 500ms, 30s, 5m, 1h, 90d,"
                        + " PT30S or P90D");
    }

    @Test
    void shouldTakeAnEmptyValueForTheDefault() {
        assertThat(SlackBridgeKeys.DEFINITION.parse(ConfigValues.of(Map.of("slack.storm.window", " ")))
                .duration("slack.storm.window")).hasMinutes(1);
    }
}
