package io.leakwatch.features;

/**
 * A section of {@link AccountFeatures} whose entries leave their window as the account's latest event moves on.
 * The account asks each when it will next have something to forget, and prunes only the ones whose time has come.
 */
interface FeatureWindow {
    /**
     * The latest event time after which {@link #prune} removes something: the minimum over the entries of the time at
     * which each leaves its window; {@code Long.MAX_VALUE} when nothing will ever be old enough.
     */
    long pruneDue();

    /** Forgets what no window ending at or after {@code latest} can see; true when something was forgotten. */
    boolean prune(long latest);
}
