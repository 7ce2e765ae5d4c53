package io.leakwatch.ingest;

import java.util.List;

/** Business validation of a decoded event: the problems found, empty when the event is valid. */
@FunctionalInterface
public interface EventValidator<T> {
    List<String> problems(T event);
}
