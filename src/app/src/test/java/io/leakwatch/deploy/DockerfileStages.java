package io.leakwatch.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read the simple way, enough to check what each image holds: its stages in order, each with its
 * instructions (continuation lines joined), its comments, and its COPY instructions with the destination resolved
 * against the WORKDIR in force. Shell-form arguments only; a JSON-form COPY is refused rather than misread.
 */
record DockerfileStages(List<Stage> stages) {

    /** One COPY: {@code from} is the stage it copies from, empty for the build context. */
    record Copy(Optional<String> from, List<String> sources, String destination) {
    }

    record Instruction(String keyword, String arguments) {
    }

    /**
     * @param base the image or stage this one starts from
     * @param workdir the WORKDIR in force at the end of the stage
     */
    record Stage(String name, String base, List<Instruction> instructions, List<Copy> copies, List<String> comments,
                 String workdir) {
        List<String> arguments(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }
    }

    static DockerfileStages read(Path file) throws IOException {
        List<String> logical = new ArrayList<>();
        List<Integer> commentOwners = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        StringBuilder pending = null;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.startsWith("#")) {
                comments.add(line.substring(1).strip());
                commentOwners.add(logical.size());
                continue;
            }
            if (line.isEmpty() && pending == null) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            String text = continues ? line.substring(0, line.length() - 1).strip() : line;
            pending = pending == null ? new StringBuilder(text) : pending.append(' ').append(text);
            if (!continues) {
                logical.add(pending.toString());
                pending = null;
            }
        }
        if (pending != null) {
            throw new IllegalArgumentException(file + " ends inside a continued line");
        }

        List<Stage> stages = new ArrayList<>();
        Map<String, Stage> byName = new HashMap<>();
        StageBuilder current = null;
        int commentIndex = 0;
        for (int i = 0; i < logical.size(); i++) {
            String line = logical.get(i);
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String arguments = parts.length > 1 ? parts[1].strip() : "";
            if (keyword.equals("FROM")) {
                if (current != null) {
                    Stage done = current.build();
                    stages.add(done);
                    byName.put(done.name(), done);
                }
                List<String> tokens = Arrays.stream(arguments.split("\\s+")).filter(t -> !t.startsWith("--")).toList();
                String base = tokens.get(0);
                String name = tokens.size() >= 3 && tokens.get(1).equalsIgnoreCase("AS") ? tokens.get(2)
                        : Integer.toString(stages.size());
                Stage parent = byName.get(base);
                current = new StageBuilder(name, base, parent == null ? "/" : parent.workdir());
            } else if (current == null) {
                if (!keyword.equals("ARG")) {
                    throw new IllegalArgumentException(file + ": " + keyword + " before the first FROM");
                }
                continue;
            } else {
                current.add(keyword, arguments);
            }
            // a comment belongs to the stage of the instruction that follows it
            while (commentIndex < comments.size() && commentOwners.get(commentIndex) <= i) {
                current.comments.add(comments.get(commentIndex++));
            }
        }
        if (current == null) {
            throw new IllegalArgumentException(file + " has no FROM");
        }
        while (commentIndex < comments.size()) {
            current.comments.add(comments.get(commentIndex++));
        }
        stages.add(current.build());
        return new DockerfileStages(List.copyOf(stages));
    }

    Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The stage {@code docker build} without {@code --target} builds. */
    Stage defaultStage() {
        return stages.get(stages.size() - 1);
    }

    /** The stage and every stage of this file it starts from, the stage itself first. */
    List<Stage> lineage(Stage stage) {
        List<Stage> chain = new ArrayList<>();
        for (Optional<Stage> s = Optional.of(stage); s.isPresent(); s = stage(s.get().base())) {
            chain.add(s.get());
        }
        return chain;
    }

    /** The user the stage's image runs as: the last USER of its lineage, empty when none sets one (root). */
    Optional<String> user(Stage stage) {
        for (Stage s : lineage(stage)) {
            List<String> users = s.arguments("USER");
            if (!users.isEmpty()) {
                return Optional.of(users.get(users.size() - 1));
            }
        }
        return Optional.empty();
    }

    /** Every COPY of the stage's lineage. */
    List<Copy> copies(Stage stage) {
        return lineage(stage).stream().flatMap(s -> s.copies().stream()).toList();
    }

    private static final class StageBuilder {
        final String name;
        final String base;
        String workdir;
        final List<Instruction> instructions = new ArrayList<>();
        final List<Copy> copies = new ArrayList<>();
        final List<String> comments = new ArrayList<>();

        StageBuilder(String name, String base, String workdir) {
            this.name = name;
            this.base = base;
            this.workdir = workdir;
        }

        void add(String keyword, String arguments) {
            instructions.add(new Instruction(keyword, arguments));
            if (keyword.equals("WORKDIR")) {
                workdir = resolve(workdir, arguments);
            } else if (keyword.equals("COPY") || keyword.equals("ADD")) {
                if (arguments.startsWith("[")) {
                    throw new IllegalArgumentException("JSON-form " + keyword + " is not read here: " + arguments);
                }
                Optional<String> from = Optional.empty();
                List<String> paths = new ArrayList<>();
                for (String token : arguments.split("\\s+")) {
                    if (token.startsWith("--from=")) {
                        from = Optional.of(token.substring("--from=".length()));
                    } else if (!token.startsWith("--")) {
                        paths.add(token);
                    }
                }
                String destination = paths.remove(paths.size() - 1);
                copies.add(new Copy(from, List.copyOf(paths), resolve(workdir, destination)));
            }
        }

        Stage build() {
            return new Stage(name, base, List.copyOf(instructions), List.copyOf(copies), List.copyOf(comments), workdir);
        }

        /** A destination or WORKDIR against the current directory; a trailing slash is dropped. */
        static String resolve(String dir, String path) {
            String resolved = Path.of(dir).resolve(path).normalize().toString();
            return resolved.isEmpty() ? "/" : resolved;
        }
    }
}
