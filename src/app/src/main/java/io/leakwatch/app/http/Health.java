package io.leakwatch.app.http;

import java.util.List;
import java.util.Map;

/** One probe of a process: live (keep it running) or ready (send it work), and why not. */
@FunctionalInterface
public interface Health {
    Status check();

    /**
     * @param up      the probe passes (HTTP 200; 503 otherwise)
     * @param state   one word for the state: {@code RUNNING}, {@code REBALANCING}, {@code ERROR}, ...
     * @param reasons why it does not pass, one sentence each (empty when it passes)
     * @param details numbers behind the answer (lag, assigned partitions, ...), for people
     */
    record Status(boolean up, String state, List<String> reasons, Map<String, Object> details) {
        public Status {
            reasons = List.copyOf(reasons);
            details = Map.copyOf(details);
        }

        public static Status up(String state, Map<String, Object> details) {
            return new Status(true, state, List.of(), details);
        }

        public static Status down(String state, List<String> reasons, Map<String, Object> details) {
            return new Status(false, state, reasons, details);
        }
    }
}
