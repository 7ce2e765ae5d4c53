package io.leakwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compose file as Compose sees it with no variable set: {@code ${NAME:-default}} and {@code ${NAME-default}} are the
 * default, {@code ${NAME}} is empty, {@code $$} is a dollar. Paths of bind mounts are resolved against the file's
 * directory, as Compose does.
 */
final class ComposeFile {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final Path directory;
    private final String text;
    private final JsonNode root;

    private ComposeFile(Path directory, String text, JsonNode root) {
        this.directory = directory;
        this.text = text;
        this.root = root;
    }

    static ComposeFile read(Path file) throws IOException {
        String text = Files.readString(file);
        JsonNode root = interpolated(new ObjectMapper(new YAMLFactory()).readTree(text));
        return new ComposeFile(file.toAbsolutePath().getParent(), text, root);
    }

    /** The file as written, before interpolation. */
    String text() {
        return text;
    }

    Set<String> services() {
        Set<String> names = new TreeSet<>();
        root.path("services").properties().forEach(e -> names.add(e.getKey()));
        return names;
    }

    JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** The service's command in list form (a string command is shell-split by Compose, and refused here). */
    List<String> command(String service) {
        JsonNode command = service(service).path("command");
        if (!command.isArray()) {
            throw new AssertionError("service " + service + ": command must be a list, not " + command);
        }
        List<String> words = new ArrayList<>();
        command.forEach(word -> words.add(word.asText()));
        return words;
    }

    /** The value following {@code option} in the service's command. */
    Optional<String> option(String service, String option) {
        List<String> command = command(service);
        int at = command.indexOf(option);
        return at < 0 || at + 1 >= command.size() ? Optional.empty() : Optional.of(command.get(at + 1));
    }

    Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode node = service(service).path("environment");
        if (node.isObject()) {
            node.properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        } else if (node.isArray()) {
            node.forEach(entry -> {
                String[] pair = entry.asText().split("=", 2);
                environment.put(pair[0], pair.length > 1 ? pair[1] : "");
            });
        }
        return environment;
    }

    /** Volumes in short syntax, {@code SOURCE:TARGET[:MODE]}, as {@code [source, target]}. */
    List<String[]> volumes(String service) {
        List<String[]> volumes = new ArrayList<>();
        service(service).path("volumes").forEach(v -> {
            String[] parts = v.asText().split(":");
            if (parts.length < 2) {
                throw new AssertionError("service " + service + ": volume " + v + " is not SOURCE:TARGET");
            }
            volumes.add(new String[] {parts[0], parts[1]});
        });
        return volumes;
    }

    /** The host file a path inside the service's containers is, through a bind mount. */
    Optional<Path> hostPath(String service, String containerPath) {
        for (String[] volume : volumes(service)) {
            if (volume[0].startsWith(".") || volume[0].startsWith("/")) {
                Path target = Path.of(volume[1]);
                Path inside = Path.of(containerPath);
                if (inside.startsWith(target)) {
                    return Optional.of(directory.resolve(volume[0]).resolve(target.relativize(inside).toString()).normalize());
                }
            }
        }
        return Optional.empty();
    }

    /** The named volume mounted at exactly this path in the service's containers. */
    Optional<String> namedVolumeAt(String service, String containerPath) {
        for (String[] volume : volumes(service)) {
            boolean named = !volume[0].startsWith(".") && !volume[0].startsWith("/") && !volume[0].startsWith("~");
            if (named && Path.of(volume[1]).equals(Path.of(containerPath))) {
                return Optional.of(volume[0]);
            }
        }
        return Optional.empty();
    }

    /** The named volumes the file declares at the top level. */
    Set<String> declaredVolumes() {
        Set<String> names = new TreeSet<>();
        root.path("volumes").properties().forEach(e -> names.add(e.getKey()));
        return names;
    }

    private static JsonNode interpolated(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(interpolate(node.asText()));
        }
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                field.setValue(interpolated(field.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, interpolated(array.get(i)));
            }
        }
        return node;
    }

    static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group().equals("$$") ? "$" : m.group(2) == null ? "" : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
