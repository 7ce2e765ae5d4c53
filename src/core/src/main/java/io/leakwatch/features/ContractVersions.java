package io.leakwatch.features;

import io.leakwatch.events.Contract;
import io.leakwatch.events.RateLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract section of {@link AccountFeatures}: the latest {@value #MAX_CONTRACT_VERSIONS} versions of each of the
 * account's contracts (a main plan and add-ons stand side by side, by {@code contract_id}), by signing time, reduced
 * to their rate lines' services, periods and commitments.
 * <pre>
 * in force at t = of each contract, its latest version signed before t
 * MONTHS_SINCE_CONTRACT_START = months from the earliest line start of those in force to t (at least 0)
 * MONTHS_TO_CONTRACT_END = months from t to their latest line end, when every line ends (0..{@value #MAX_MONTHS_TO_END})
 * CONTRACT_AMENDMENTS = Σ (version - 1) of those in force;
 * MONTHS_SINCE_CONTRACT_AMENDMENT = months from the latest signing of an amended one (version > 1) to t (0..24)
 * </pre>
 * With one contract these are its own version's figures.
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

    /** A contract version, reduced; {@code contractId} is {@link #UNKNOWN_CONTRACT} when read from a format without it. */
    record Version(String contractId, int version, long signedAt, List<Term> terms) {
        Version {
            terms = List.copyOf(terms);
        }
    }

    /**
     * The contract id of versions stored before the state kept it: the account then held one contract, so the first
     * contract added claims them ({@link #add}).
     */
    static final String UNKNOWN_CONTRACT = "";

    private final List<Version> versions = new ArrayList<>();

    /** Keeps {@code contract} (replacing an earlier copy of the same contract's version); returns its signing time. */
    long add(Contract contract) {
        List<Term> terms = new ArrayList<>();
        for (RateLine line : contract.getLines()) {
            terms.add(new Term(line.getService(), line.getEffectiveFrom().toEpochMilli(),
                    line.getEffectiveTo() == null ? AccountFeatures.NONE : line.getEffectiveTo().toEpochMilli(),
                    line.getCommittedQuantity()));
        }
        long signed = contract.getSignedAt().toEpochMilli();
        String id = contract.getContractId();
        versions.replaceAll(v -> v.contractId().equals(UNKNOWN_CONTRACT)
                ? new Version(id, v.version(), v.signedAt(), v.terms()) : v);
        versions.removeIf(v -> v.contractId().equals(id) && v.version() == contract.getVersion());
        versions.add(new Version(id, contract.getVersion(), signed, terms));
        versions.sort(Comparator.comparingLong(Version::signedAt).thenComparingInt(Version::version)
                .thenComparing(Version::contractId));
        while (versions.stream().filter(v -> v.contractId().equals(id)).count() > MAX_CONTRACT_VERSIONS) {
            versions.remove(versions.stream().filter(v -> v.contractId().equals(id)).findFirst().orElseThrow());
        }
        return signed;
    }

    /** The versions in force at {@code t}: of each contract, the latest signed before it; by signing time. */
    List<Version> at(long t) {
        Map<String, Version> latest = new LinkedHashMap<>();
        for (Version v : versions) {
            if (v.signedAt() < t) {
                latest.remove(v.contractId());
                latest.put(v.contractId(), v);
            }
        }
        return List.copyOf(latest.values());
    }

    /** True when a version in force at {@code t} has a rate line in force at {@code t}. */
    boolean activeAt(long t) {
        return at(t).stream().anyMatch(v -> v.terms().stream().anyMatch(term -> term.inForceAt(t)));
    }

    /** The features of the class comment as of {@code t}, from {@code inForce}, the versions in force then. */
    static void features(long t, List<Version> inForce, double[] v) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        boolean ends = true;
        boolean anyTerm = false;
        int amendments = 0;
        long amendedAt = Long.MIN_VALUE;
        for (Version version : inForce) {
            for (Term term : version.terms()) {
                anyTerm = true;
                start = Math.min(start, term.from());
                ends &= term.to() != AccountFeatures.NONE;
                end = Math.max(end, term.to());
            }
            if (version.version() > 1) {
                // every version after the first is an amendment; each contract's latest one signed before t is kept
                amendments += version.version() - 1;
                amendedAt = Math.max(amendedAt, version.signedAt());
            }
        }
        if (anyTerm) {
            v[Feature.MONTHS_SINCE_CONTRACT_START.ordinal()] = Math.max(0, AccountFeatures.months(t, start));
            if (ends) {
                v[Feature.MONTHS_TO_CONTRACT_END.ordinal()] =
                        Math.max(0, Math.min(MAX_MONTHS_TO_END, AccountFeatures.months(end, t)));
            }
        }
        if (amendments > 0) {
            v[Feature.CONTRACT_AMENDMENTS.ordinal()] = amendments;
            v[Feature.MONTHS_SINCE_CONTRACT_AMENDMENT.ordinal()] =
                    Math.max(0, Math.min(MAX_MONTHS_SINCE_AMENDMENT, AccountFeatures.months(t, amendedAt)));
        }
    }

    /** By signing time, then version, then contract id (the codec reads and writes them here). */
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
