package io.leakwatch.contracts;

import io.leakwatch.events.Contract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every contract of one account as of a point in its history: per {@code contract_id}, the latest version signed so
 * far (by {@code signed_at}, then {@code version}). Contracts coexist: a main plan and its add-ons, or one contract per
 * product line, each prices its own services.
 *
 * <p>Lookup rule ({@link #at}), for a service at a date:
 * <pre>
 * covering = { ContractTerms.at(c, service, date) | c in contracts, terms found }
 * |covering| = 1  -&gt; those terms
 * |covering| &gt; 1  -&gt; an overlap: two contracts price the same service on the same date, no single price applies
 * |covering| = 0  -&gt; no terms; the gap is the one of the first contract (by id) that lists the service at all, else
 *                   of the first contract (SERVICE_NOT_IN_CONTRACT), else NO_CONTRACT
 * </pre>
 * Kafka-free and mutable; the account engine adds versions in event order.
 */
public final class ContractBook {
    private final TreeMap<String, Contract> byId = new TreeMap<>();

    public ContractBook() {
    }

    /** A book of the given versions (null entries ignored), each added as {@link #add} does. */
    public static ContractBook of(Contract... contracts) {
        ContractBook book = new ContractBook();
        for (Contract c : contracts) {
            if (c != null) {
                book.add(c);
            }
        }
        return book;
    }

    /** Keeps {@code c} when it is the latest version of its contract so far; true when it was kept. */
    public boolean add(Contract c) {
        Contract held = byId.get(c.getContractId());
        if (held == null || c.getSignedAt().isAfter(held.getSignedAt())
                || c.getSignedAt().equals(held.getSignedAt()) && c.getVersion() >= held.getVersion()) {
            byId.put(c.getContractId(), c);
            return true;
        }
        return false;
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** The latest version of every contract, by contract id. */
    public Collection<Contract> contracts() {
        return Collections.unmodifiableCollection(byId.values());
    }

    /** Whether any rate line of any contract is in force at or after {@code from}. */
    public boolean inForceAtOrAfter(Instant from) {
        return byId.values().stream().flatMap(c -> c.getLines().stream())
                .anyMatch(l -> l.getEffectiveTo() == null || l.getEffectiveTo().isAfter(from));
    }

    /** The terms for {@code service} at {@code at} across every contract (see the class comment). */
    public Terms at(String service, Instant at) {
        List<AppliedRate> covering = new ArrayList<>(1);
        ContractTerms.Lookup gap = null;
        Contract gapContract = null;
        for (Contract c : byId.values()) {
            ContractTerms.Lookup lookup = ContractTerms.at(c, service, at);
            if (lookup.rate().isPresent()) {
                covering.add(lookup.rate().get());
            } else if (gapContract == null || gap.gap() == ContractTerms.Gap.SERVICE_NOT_IN_CONTRACT
                    && lookup.gap() != ContractTerms.Gap.SERVICE_NOT_IN_CONTRACT) {
                gap = lookup;
                gapContract = c;
            }
        }
        if (!covering.isEmpty()) {
            return new Terms(List.copyOf(covering), null, null);
        }
        return new Terms(List.of(), gap == null ? ContractTerms.at(null, service, at) : gap, gapContract);
    }

    /**
     * The outcome of a lookup across contracts.
     *
     * @param covering    the terms of every contract that prices the service at the date, by contract id
     * @param gap         when none does: why ({@link ContractTerms.Lookup} with no rate); else null
     * @param gapContract the contract the gap was found in; null when there is none or terms were found
     */
    public record Terms(List<AppliedRate> covering, ContractTerms.Lookup gap, Contract gapContract) {
        /** The one contract's terms, when exactly one contract prices the service at the date. */
        public Optional<AppliedRate> single() {
            return covering.size() == 1 ? Optional.of(covering.get(0)) : Optional.empty();
        }

        /** Two or more contracts price the service at the date. */
        public boolean overlap() {
            return covering.size() > 1;
        }
    }
}
