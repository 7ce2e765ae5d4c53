package io.leakwatch.topology;

import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The topologies {@code run} builds, each rendered under version control in {@code topology/}: a renamed processor
 * or store in any of them is lost state in production. {@code leakwatch topology --write} writes the files, and
 * {@code TopologyDescriptionTest} fails when the code and a file disagree.
 */
public enum TopologyVariant {
    /** No model versions: detection only. */
    DEFAULT("topology.txt", "Risk scoring off"),
    /** Model versions in {@code leakwatch.models.dir}: account features, scoring, scores to {@code account-risk}. */
    RISK_SCORING("topology-scoring.txt", "Risk scoring on");

    /**
     * Stands in for the ONNX scorer: the topology's shape depends only on there being a scorer, and describing it
     * loads no model and scores nothing.
     */
    private static final RiskScorer DESCRIBE_ONLY = (snapshots, full) -> {
        throw new UnsupportedOperationException("this scorer only describes the topology");
    };

    private final String file;
    private final String title;

    TopologyVariant(String file, String title) {
        this.file = file;
        this.title = title;
    }

    /** The name of its rendered description in {@code topology/}. */
    public String file() {
        return file;
    }

    /** A heading for people: which topology this is. */
    public String title() {
        return title;
    }

    public TopologySettings settings() {
        TopologySettings defaults = TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON,
                new BundledSchemaResolver());
        return switch (this) {
            case DEFAULT -> defaults;
            case RISK_SCORING -> defaults.withRisk(defaults.risk().withScorer(DESCRIBE_ONLY));
        };
    }

    public TopologyDescription describe() {
        return LeakwatchTopology.build(settings()).describe();
    }
}
