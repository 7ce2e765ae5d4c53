package io.leakwatch.slack;

import com.slack.api.model.block.LayoutBlock;
import java.util.List;

/**
 * One Slack message about one alert or a digest of several.
 *
 * @param text      the notification fallback text (shown in push notifications and by screen readers)
 * @param blocks    the Block Kit layout
 * @param alertIds  the alerts this message reports; all of them count as delivered once Slack accepts it
 */
public record SlackMessage(String text, List<LayoutBlock> blocks, List<String> alertIds) {
    public SlackMessage {
        blocks = List.copyOf(blocks);
        alertIds = List.copyOf(alertIds);
    }

    public boolean isDigest() {
        return alertIds.size() > 1;
    }
}
