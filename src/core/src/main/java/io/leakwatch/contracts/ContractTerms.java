package io.leakwatch.contracts;

import io.leakwatch.events.Contract;
import io.leakwatch.events.RateLine;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * As-of lookup of the terms in force for one service of one contract version.
 *
 * <p>Rule: the rate line for {@code service} whose window contains the date,
 * {@code effective_from <= at < effective_to} (open-ended when {@code effective_to} is null). When an
 * amendment left overlapping windows, the line with the latest {@code effective_from} wins: the newest
 * agreement governs. When no line covers the date, {@link Lookup#gap()} says why, so an alert can say
 * "contract ended on ..." rather than just "no contract".
 */
public final class ContractTerms {
    private ContractTerms() {
    }

    /** Why no terms were found for a service at a date. */
    public enum Gap {
        /** The account has no contract at all. */
        NO_CONTRACT,
        /** The contract never covered this service. */
        SERVICE_NOT_IN_CONTRACT,
        /** The service's first rate line starts after the date. */
        BEFORE_START,
        /** Every rate line for the service ended on or before the date. */
        ENDED,
        /** The date falls between two rate lines (a hole in the schedule). */
        NOT_COVERED
    }

    /** The outcome of a lookup: either the applicable terms or the gap that explains their absence. */
    public record Lookup(Optional<AppliedRate> rate, Gap gap, Optional<Instant> boundary) {
        static Lookup found(AppliedRate rate) {
            return new Lookup(Optional.of(rate), null, Optional.empty());
        }

        static Lookup missing(Gap gap, Instant boundary) {
            return new Lookup(Optional.empty(), gap, Optional.ofNullable(boundary));
        }
    }

    public static Lookup at(Contract contract, String service, Instant at) {
        if (contract == null) {
            return Lookup.missing(Gap.NO_CONTRACT, null);
        }
        List<RateLine> lines = contract.getLines().stream().filter(l -> l.getService().equals(service)).toList();
        if (lines.isEmpty()) {
            return Lookup.missing(Gap.SERVICE_NOT_IN_CONTRACT, null);
        }
        Optional<RateLine> covering = lines.stream()
                .filter(l -> covers(l, at))
                .max(Comparator.comparing(RateLine::getEffectiveFrom));
        if (covering.isPresent()) {
            return Lookup.found(new AppliedRate(covering.get(), contract.getContractId(), contract.getVersion()));
        }
        Instant firstStart = lines.stream().map(RateLine::getEffectiveFrom).min(Comparator.naturalOrder()).orElseThrow();
        if (at.isBefore(firstStart)) {
            return Lookup.missing(Gap.BEFORE_START, firstStart);
        }
        boolean openEnded = lines.stream().anyMatch(l -> l.getEffectiveTo() == null);
        if (!openEnded) {
            Instant lastEnd = lines.stream().map(RateLine::getEffectiveTo).max(Comparator.naturalOrder()).orElseThrow();
            if (!at.isBefore(lastEnd)) {
                return Lookup.missing(Gap.ENDED, lastEnd);
            }
        }
        return Lookup.missing(Gap.NOT_COVERED, null);
    }

    static boolean covers(RateLine line, Instant at) {
        return !at.isBefore(line.getEffectiveFrom()) && (line.getEffectiveTo() == null || at.isBefore(line.getEffectiveTo()));
    }
}
