package io.leakwatch.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} read as Docker reads it: each line a pattern over paths relative to the context root
 * ({@code *} within one path segment, {@code **} across any number, {@code ?} one character), {@code !} making an
 * exception; a pattern that matches a path or one of its parent directories decides, and the last such line wins.
 */
record DockerIgnore(List<Rule> rules) {

    record Rule(String text, Pattern pattern, boolean exception) {
    }

    static DockerIgnore read(Path file) throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            String glob = (exception ? line.substring(1) : line).strip();
            while (glob.startsWith("/")) {
                glob = glob.substring(1);
            }
            while (glob.endsWith("/")) {
                glob = glob.substring(0, glob.length() - 1);
            }
            rules.add(new Rule(line, Pattern.compile(regex(glob)), exception));
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /** True when the file at {@code path} (relative, '/'-separated) is left out of the build context. */
    boolean excludes(String path) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (matchesOrParentMatches(rule.pattern(), path)) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    private static boolean matchesOrParentMatches(Pattern pattern, String path) {
        String[] segments = path.split("/");
        StringBuilder prefix = new StringBuilder();
        for (String segment : segments) {
            if (prefix.length() > 0) {
                prefix.append('/');
            }
            prefix.append(segment);
            if (pattern.matcher(prefix).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String regex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                regex.append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
