package io.leakwatch.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a command that runs until stopped ({@code run}, {@code slack-bridge}) stops on SIGTERM or Ctrl-C and still
 * exits with its own code.
 *
 * <p>The JVM reports 128 + the signal (143 for SIGTERM) for a process a signal shut down, whatever its shutdown hooks
 * did: the thread that began the shutdown decides the status, and {@code System.exit} from main then blocks. So the
 * hook stops the command, waits for main to finish with the command's exit code (0 after a clean close, 1 when the
 * stream had failed) and halts the JVM with that code. When main does not finish in time, or is not ours (a test
 * running the command in its own JVM), the hook returns and the JVM exits as the signal says.
 */
final class Stop {
    private static final CompletableFuture<Integer> MAIN_EXIT = new CompletableFuture<>();
    private static final Duration WAIT_FOR_MAIN = Duration.ofSeconds(60);

    private Stop() {
    }

    /** Runs {@code stop} when the JVM is asked to shut down, until the returned hook is closed. */
    static Hook onSignal(String name, Runnable stop) {
        Thread thread = new Thread(() -> {
            stop.run();
            Integer code;
            try {
                code = MAIN_EXIT.get(WAIT_FOR_MAIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }, name);
        Runtime.getRuntime().addShutdownHook(thread);
        return new Hook(thread);
    }

    /** The end of main: exits with {@code code}, or hands it to the hook that is stopping the JVM after a signal. */
    static void exit(int code) {
        MAIN_EXIT.complete(code);
        System.exit(code);
    }

    /** A registered hook; closing it when the command ends by itself unregisters it. */
    static final class Hook implements AutoCloseable {
        private final Thread thread;

        private Hook(Thread thread) {
            this.thread = thread;
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(thread);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what stopped the command, and waits for main's exit code
            }
        }
    }
}
