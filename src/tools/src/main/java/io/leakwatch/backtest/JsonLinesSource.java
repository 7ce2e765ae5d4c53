package io.leakwatch.backtest;

import io.leakwatch.serde.EventType;
import io.leakwatch.topics.TopicCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A directory of JSON Lines files ({@code <topic>.jsonl}), streamed in replay order ({@link JsonLinesInput}). */
public final class JsonLinesSource implements ReplaySource {
    private final Path dir;
    private final ReplayRange range;

    public JsonLinesSource(Path dir, ReplayRange range) {
        this.dir = dir;
        this.range = range;
    }

    @Override
    public ReplayInput read(Map<String, EventType<?>> inputs, TopicCatalog topics) throws IOException {
        return new ReplayInput(JsonLinesInput.open(dir, inputs, range, ReplaySource.standingTopics(topics)),
                InputCoverage.of(dir, topics), range);
    }
}
