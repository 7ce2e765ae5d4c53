package io.leakwatch.slack;

import com.slack.api.model.block.LayoutBlock;
import java.util.List;

/**
 * One Slack message about one alert or several.
 *
 * @param kind      what the message does: a new alert, a storm digest, the rewrite of a message posted earlier,
 *                  a follow-up to one, or a digest of changes
 * @param text      the notification fallback text (shown in push notifications and by screen readers)
 * @param blocks    the Block Kit layout
 * @param alertIds  the alerts this message reports
 */
public record SlackMessage(Kind kind, String text, List<LayoutBlock> blocks, List<String> alertIds) {
    public enum Kind {
        /** A new alert (chat.postMessage or the webhook). */
        ALERT,
        /** New alerts of a storm, in one post. */
        DIGEST,
        /** The new content of a message posted earlier (chat.update). */
        EDIT,
        /** A new post about a change to an alert posted earlier, quoting it (when its message cannot be edited). */
        FOLLOW_UP,
        /** Changes to alerts posted earlier, during a storm, in one post. */
        UPDATE_DIGEST
    }

    public SlackMessage {
        blocks = List.copyOf(blocks);
        alertIds = List.copyOf(alertIds);
    }

    public boolean isDigest() {
        return kind == Kind.DIGEST || kind == Kind.UPDATE_DIGEST;
    }
}
