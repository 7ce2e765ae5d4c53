package io.leakwatch.features;

import io.leakwatch.events.Contract;
import io.leakwatch.events.RateLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The contract section of {@link AccountFeatures}: the latest {@value #MAX_CONTRACT_VERSIONS} versions of the
 * account's contract, by signing time, reduced to their rate lines' services, periods and commitments.
 * <pre>
 * version in force at t = the latest version signed before t
 * MONTHS_SINCE_CONTRACT_START = months from its earliest line's start to t (at least 0)
 * MONTHS_TO_CONTRACT_END = months from t to its latest line's end, when every line ends (0..{@value #MAX_MONTHS_TO_END})
 * CONTRACT_AMENDMENTS = its version - 1;  MONTHS_SINCE_CONTRACT_AMENDMENT = months from its signing to t (0..24)
 * </pre>
 */
final class ContractVersions {
    static final int MAX_CONTRACT_VERSIONS = 4;
    static final double MAX_MONTHS_TO_END = 24;
    static final double MAX_MONTHS_SINCE_AMENDMENT = 24;

    /** A rate line, reduced to what the features use. {@code to} = {@link AccountFeatures#NONE} when open-ended. */
    record Term(String service, long from, long to, BigDecimal committed) {
        boolean inForceAt(long t) {
            return from <= t && (to == AccountFeatures.NONE || t < to);
        }
    }

    /** A contract version, reduced. */
    record Version(int version, long signedAt, List<Term> terms) {
        Version {
            terms = List.copyOf(terms);
        }
    }

    private final List<Version> versions = new ArrayList<>();

    /** Keeps {@code contract} (replacing an earlier copy of its version); returns its signing time. */
    long add(Contract contract) {
        List<Term> terms = new ArrayList<>();
        for (RateLine line : contract.getLines()) {
            terms.add(new Term(line.getService(), line.getEffectiveFrom().toEpochMilli(),
                    line.getEffectiveTo() == null ? AccountFeatures.NONE : line.getEffectiveTo().toEpochMilli(),
                    line.getCommittedQuantity()));
        }
        long signed = contract.getSignedAt().toEpochMilli();
        versions.removeIf(v -> v.version() == contract.getVersion());
        versions.add(new Version(contract.getVersion(), signed, terms));
        versions.sort(Comparator.comparingLong(Version::signedAt).thenComparingInt(Version::version));
        while (versions.size() > MAX_CONTRACT_VERSIONS) {
            versions.remove(0);
        }
        return signed;
    }

    /** The version in force at {@code t}: the latest signed before it, or null. */
    Version at(long t) {
        Version found = null;
        for (Version v : versions) {
            if (v.signedAt() < t) {
                found = v;
            }
        }
        return found;
    }

    /** True when the version in force at {@code t} has a rate line in force at {@code t}. */
    boolean activeAt(long t) {
        Version v = at(t);
        return v != null && v.terms().stream().anyMatch(term -> term.inForceAt(t));
    }

    /** The features of the class comment as of {@code t}, from {@code version}, the one in force then (or null). */
    static void features(long t, Version version, double[] v) {
        if (version != null && !version.terms().isEmpty()) {
            long start = Long.MAX_VALUE;
            long end = Long.MIN_VALUE;
            boolean ends = true;
            for (Term term : version.terms()) {
                start = Math.min(start, term.from());
                ends &= term.to() != AccountFeatures.NONE;
                end = Math.max(end, term.to());
            }
            v[Feature.MONTHS_SINCE_CONTRACT_START.ordinal()] = Math.max(0, AccountFeatures.months(t, start));
            if (ends) {
                v[Feature.MONTHS_TO_CONTRACT_END.ordinal()] =
                        Math.max(0, Math.min(MAX_MONTHS_TO_END, AccountFeatures.months(end, t)));
            }
        }
        if (version != null && version.version() > 1) {
            // every version after the first is an amendment; the latest one signed before t is kept in the state
            v[Feature.CONTRACT_AMENDMENTS.ordinal()] = version.version() - 1;
            v[Feature.MONTHS_SINCE_CONTRACT_AMENDMENT.ordinal()] =
                    Math.max(0, Math.min(MAX_MONTHS_SINCE_AMENDMENT, AccountFeatures.months(t, version.signedAt())));
        }
    }

    /** By signing time, then version (the codec reads and writes them here). */
    List<Version> list() {
        return versions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContractVersions other && versions.equals(other.versions);
    }

    @Override
    public int hashCode() {
        return versions.size();
    }
}
