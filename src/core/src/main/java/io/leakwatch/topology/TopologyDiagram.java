package io.leakwatch.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Renders a {@link TopologyDescription} as a Mermaid flowchart (GitHub renders it in Markdown): topics as
 * stadium shapes, processors as boxes, state stores as cylinders.
 */
public final class TopologyDiagram {
    private TopologyDiagram() {
    }

    public static String mermaid(TopologyDescription description) {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        Set<String> topics = new TreeSet<>();
        Set<String> stores = new TreeSet<>();
        List<String> edges = new ArrayList<>();
        List<TopologyDescription.Subtopology> subs = new ArrayList<>(description.subtopologies());
        subs.sort(Comparator.comparingInt(TopologyDescription.Subtopology::id));
        for (TopologyDescription.Subtopology sub : subs) {
            out.append("  subgraph sub").append(sub.id()).append("[\"sub-topology ").append(sub.id()).append("\"]\n");
            List<TopologyDescription.Node> nodes = new ArrayList<>(sub.nodes());
            nodes.sort(Comparator.comparing(TopologyDescription.Node::name));
            for (TopologyDescription.Node node : nodes) {
                out.append("    ").append(id(node.name())).append("[\"").append(node.name()).append("\"]\n");
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    source.topicSet().stream().sorted().forEach(t -> {
                        topics.add(t);
                        edges.add("  " + topicId(t) + " --> " + id(node.name()));
                    });
                }
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    topics.add(sink.topic());
                    edges.add("  " + id(node.name()) + " --> " + topicId(sink.topic()));
                }
                if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().stream().sorted().forEach(s -> {
                        stores.add(s);
                        edges.add("  " + id(node.name()) + " -.- " + storeId(s));
                    });
                }
                node.successors().stream().map(TopologyDescription.Node::name).sorted()
                        .forEach(next -> edges.add("  " + id(node.name()) + " --> " + id(next)));
            }
            out.append("  end\n");
        }
        topics.forEach(t -> out.append("  ").append(topicId(t)).append("([\"").append(t).append("\"])\n"));
        stores.forEach(s -> out.append("  ").append(storeId(s)).append("[(\"").append(s).append("\")]\n"));
        edges.forEach(e -> out.append(e).append('\n'));
        return out.toString();
    }

    private static String id(String name) {
        return "n_" + name.replaceAll("[^A-Za-z0-9]", "_");
    }

    private static String topicId(String name) {
        return "t_" + name.replaceAll("[^A-Za-z0-9]", "_");
    }

    private static String storeId(String name) {
        return "s_" + name.replaceAll("[^A-Za-z0-9]", "_");
    }
}
