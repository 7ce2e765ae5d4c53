package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.Finding;
import io.leakwatch.contracts.ContractTerms;
import io.leakwatch.detect.invoice.InvoiceLineChecks;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.RateLine;
import io.leakwatch.money.MoneyFormat;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldGeneratorTest {
    /** Error rates well above the defaults, so every injection strategy occurs many times. */
    private static final GeneratorOptions NOISY = GeneratorOptions.defaults(400, 24, 7)
            .withRateErrorRate(0.03)
            .withArithmeticErrorRate(0.03)
            .withAmendmentRate(0.5);
    private static final World NOISY_WORLD = WorldGenerator.generate(NOISY);
    private static final World DEFAULT_WORLD = WorldGenerator.generate(GeneratorOptions.defaults(300, 24, 42));

    private static final Instant PLAUSIBLE_FROM = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant PLAUSIBLE_TO = Instant.parse("2100-01-01T00:00:00Z");

    /** What a finding and a label must agree on. */
    private record Expected(String type, String accountId, String evidenceKey, String amount, String currency) {
        static Expected of(Finding f) {
            return new Expected(f.type().name(), f.accountId(), f.evidenceKey(), MoneyFormat.plain(f.amount()),
                    f.currency());
        }

        static Expected of(Label l) {
            return new Expected(l.type(), l.accountId(), l.evidenceKey(), MoneyFormat.plain(l.amount()), l.currency());
        }
    }

    @Test
    void shouldLabelExactlyTheFindingsOfTheInvoiceLineChecks() {
        for (World world : List.of(NOISY_WORLD, DEFAULT_WORLD)) {
            List<Expected> found = findings(world).stream().map(Expected::of).toList();
            List<Expected> labelled = world.labels().stream()
                    .filter(l -> l.type().equals("RATE_MISMATCH") || l.type().equals("CHARGE_ARITHMETIC"))
                    .map(Expected::of).toList();

            assertThat(labelled).isNotEmpty();
            assertThat(found).containsExactlyInAnyOrderElementsOf(labelled);
        }
    }

    @Test
    void shouldFindNothingOnUnlabelledLines() {
        Set<String> labelled = NOISY_WORLD.labels().stream().map(Label::evidenceKey).collect(Collectors.toSet());
        Map<String, List<Contract>> versions = versionsByAccount(NOISY_WORLD);
        InvoiceLineChecks checks = new InvoiceLineChecks();

        List<Finding> onCleanLines = NOISY_WORLD.invoiceLines().stream()
                .filter(line -> attributed(versions, line))
                .filter(line -> !labelled.contains(InvoiceLineChecks.evidenceKey(line)))
                .flatMap(line -> checks.check(line, inForce(versions, line)).stream())
                .toList();

        assertThat(onCleanLines).isEmpty();
    }

    @Test
    void shouldInjectEveryErrorKindFromTheBrief() {
        Set<String> causes = NOISY_WORLD.labels().stream().map(Label::cause).map(c -> c.replaceAll("[0-9.,]+", "#"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));

        assertThat(causes).contains(
                "contract pricing error: billed the pre-amendment rate",
                "contract pricing error: volume tier not applied",
                "contract pricing error: unapproved #% discount",
                "contract pricing error: rate #% above contract",
                "billing engine error: dropped a digit of the line total",
                "billing engine error: line total truncated to whole units",
                "billing engine error: line charged twice");
        assertThat(causes).anyMatch(c -> c.startsWith("billing engine error: fixed discount of "));
        assertThat(NOISY_WORLD.labels()).filteredOn(l -> !l.type().equals(RevenueShapes.SHAPE_LABEL) && !l.type().equals(RevenueShapes.UNJUDGED_LABEL))
                .allMatch(l -> l.amount().signum() != 0);
    }

    @Test
    void shouldInjectErrorsAtRoughlyTheRequestedRates() {
        int lines = NOISY_WORLD.invoiceLines().size();
        World.Counts counts = NOISY_WORLD.counts();

        // the i.i.d. background rate; accounts with a stale price book add their own mismatches on top
        long background = NOISY_WORLD.labels().stream().filter(l -> l.type().equals("RATE_MISMATCH"))
                .filter(l -> !l.cause().startsWith("stale price book")).count();
        assertThat(background).isBetween((long) (lines * 0.02), (long) (lines * 0.04));
        assertThat(counts.labelsByType().get("CHARGE_ARITHMETIC")).isBetween((int) (lines * 0.02), (int) (lines * 0.04));
    }

    @Test
    void shouldSplitAMidMonthRateChangeIntoProRataLinesAtEachRate() {
        Map<String, List<Contract>> versions = versionsByAccount(NOISY_WORLD);
        List<InvoiceLine> split = NOISY_WORLD.invoiceLines().stream()
                .filter(l -> l.getServicePeriodStart().atOffset(java.time.ZoneOffset.UTC).getDayOfMonth() == 15)
                .toList();

        assertThat(split).isNotEmpty();
        for (InvoiceLine second : split) {
            Contract contract = inForce(versions, second);
            InvoiceLine first = NOISY_WORLD.invoiceLines().stream()
                    .filter(l -> l.getInvoiceId().equals(second.getInvoiceId())
                            && l.getService().equals(second.getService())
                            && l.getServicePeriodEnd().equals(second.getServicePeriodStart()))
                    .findFirst().orElseThrow();
            RateLine before = ContractTerms.at(contract, first.getService(), first.getServicePeriodStart())
                    .rate().orElseThrow().line();
            RateLine after = ContractTerms.at(contract, second.getService(), second.getServicePeriodStart())
                    .rate().orElseThrow().line();

            assertThat(before.getEffectiveTo()).isEqualTo(second.getServicePeriodStart());
            assertThat(after.getEffectiveFrom()).isEqualTo(second.getServicePeriodStart());
            assertThat(after.getUnitRate()).isNotEqualByComparingTo(before.getUnitRate());
        }
    }

    @Test
    void shouldSignEveryAmendmentBeforeItsNewRatesTakeEffect() {
        int amendments = 0;
        for (List<Contract> versions : versionsByAccount(NOISY_WORLD).values()) {
            List<Contract> ordered = versions.stream().sorted(Comparator.comparingInt(Contract::getVersion)).toList();
            for (int v = 1; v < ordered.size(); v++) {
                Contract previous = ordered.get(v - 1);
                Contract amendment = ordered.get(v);
                Set<String> known = previous.getLines().stream().map(l -> l.getService() + "@" + l.getEffectiveFrom())
                        .collect(Collectors.toSet());
                List<RateLine> added = amendment.getLines().stream()
                        .filter(l -> !known.contains(l.getService() + "@" + l.getEffectiveFrom())).toList();

                assertThat(amendment.getSignedAt()).isAfter(previous.getSignedAt());
                if (added.isEmpty()) {     // a termination: the same schedule, every line ended after the signature
                    assertThat(amendment.getLines()).allMatch(l -> l.getEffectiveTo() != null)
                            .anyMatch(l -> l.getEffectiveTo().isAfter(amendment.getSignedAt()));
                    continue;
                }
                assertThat(added).allMatch(l -> l.getEffectiveFrom().isAfter(amendment.getSignedAt()));
                amendments++;
            }
        }
        assertThat(amendments).isGreaterThan(NOISY.accounts() / 4);
    }

    @Test
    void shouldStopInvoicingAnAccountWhenItsContractEnds() {
        Map<String, Contract> latest = latestVersions(DEFAULT_WORLD);
        Map<String, Instant> ends = new TreeMap<>();
        latest.forEach((account, contract) -> {
            if (contract.getLines().stream().allMatch(l -> l.getEffectiveTo() != null)) {
                ends.put(account, contract.getLines().stream().map(RateLine::getEffectiveTo)
                        .max(Comparator.naturalOrder()).orElseThrow());
            }
        });

        assertThat(ends).isNotEmpty();
        assertThat(DEFAULT_WORLD.invoiceLines())
                .filteredOn(l -> l.getAccountId() != null && ends.containsKey(l.getAccountId()))
                .allMatch(l -> !l.getServicePeriodEnd().isAfter(ends.get(l.getAccountId())));
    }

    @Test
    void shouldKeepJpyAmountsWhole() {
        List<InvoiceLine> yen = NOISY_WORLD.invoiceLines().stream().filter(l -> l.getCurrency().equals("JPY")).toList();
        List<Label> yenLabels = NOISY_WORLD.labels().stream().filter(l -> l.currency().equals("JPY")).toList();

        assertThat(yen).isNotEmpty();
        assertThat(yenLabels).isNotEmpty();
        assertThat(yen).allMatch(l -> isWhole(l.getLineTotal()) && isWhole(l.getUnitRate()));
        assertThat(yenLabels).allMatch(l -> isWhole(l.amount()));
        assertThat(NOISY_WORLD.contracts().stream().flatMap(c -> c.getLines().stream())
                .filter(l -> l.getCurrency().equals("JPY")))
                .allMatch(l -> isWhole(l.getUnitRate()) && l.getTiers().stream().allMatch(t -> isWhole(t.getUnitRate())));
    }

    @Test
    void shouldWriteIdenticalFilesForTheSameSeed(@TempDir Path first, @TempDir Path second) throws IOException {
        WorldFiles.write(WorldGenerator.generate(NOISY), first);
        WorldFiles.write(WorldGenerator.generate(NOISY), second);

        for (String file : List.of(WorldFiles.CONTRACTS, WorldFiles.INVOICES, WorldFiles.USAGE, WorldFiles.PAYMENTS,
                WorldFiles.PROVISIONING, WorldFiles.LABELS, WorldFiles.MANIFEST)) {
            assertThat(Files.readAllBytes(second.resolve(file))).as(file).isEqualTo(Files.readAllBytes(first.resolve(file)));
        }
    }

    @Test
    void shouldWriteDifferentFilesForADifferentSeed(@TempDir Path first, @TempDir Path second) throws IOException {
        WorldFiles.write(WorldGenerator.generate(GeneratorOptions.defaults(50, 6, 1)), first);
        WorldFiles.write(WorldGenerator.generate(GeneratorOptions.defaults(50, 6, 2)), second);

        for (String file : List.of(WorldFiles.CONTRACTS, WorldFiles.INVOICES)) {
            assertThat(Files.readAllBytes(second.resolve(file))).as(file).isNotEqualTo(Files.readAllBytes(first.resolve(file)));
        }
    }

    @Test
    void shouldWriteEventsThatReadBackEqualAndInBusinessTimeOrder(@TempDir Path dir) throws IOException {
        WorldFiles.write(DEFAULT_WORLD, dir);
        Set<String> bad = DEFAULT_WORLD.badRecords().stream().map(BadRecord::line).collect(Collectors.toSet());

        List<InvoiceLine> lines = readGood(dir.resolve(WorldFiles.INVOICES), bad, new JsonEventCodec<>(EventType.INVOICE_LINE));
        List<Contract> contracts = readGood(dir.resolve(WorldFiles.CONTRACTS), bad, new JsonEventCodec<>(EventType.CONTRACT));

        assertThat(lines).isEqualTo(DEFAULT_WORLD.invoiceLines());
        assertThat(contracts).isEqualTo(DEFAULT_WORLD.contracts());
        assertThat(lines).isSortedAccordingTo(Comparator.comparing(InvoiceLine::getIssuedAt));
        assertThat(contracts).isSortedAccordingTo(Comparator.comparing(Contract::getSignedAt));
    }

    @Test
    void shouldMixInBadRecordsThatBreakADecodingOrValidationRule(@TempDir Path dir) throws IOException {
        WorldFiles.write(DEFAULT_WORLD, dir);
        List<String> invoiceFile = Files.readAllLines(dir.resolve(WorldFiles.INVOICES), StandardCharsets.UTF_8);
        List<String> contractFile = Files.readAllLines(dir.resolve(WorldFiles.CONTRACTS), StandardCharsets.UTF_8);
        List<String> usageFile = Files.readAllLines(dir.resolve(WorldFiles.USAGE), StandardCharsets.UTF_8);

        assertThat(DEFAULT_WORLD.badRecords()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(DEFAULT_WORLD.badRecords()).extracting(BadRecord::reason)
                .contains(BadRecords.MALFORMED_JSON, BadRecords.OPPOSITE_SIGNS, BadRecords.MISSING_ACCOUNT);
        for (BadRecord record : DEFAULT_WORLD.badRecords()) {
            List<String> file = switch (record.target()) {
                case INVOICES -> invoiceFile;
                case CONTRACTS -> contractFile;
                case USAGE -> usageFile;
            };
            assertThat(file).as(record.reason()).contains(record.line());
            assertThat(rejectionOf(record)).as(record.line()).isEqualTo(record.reason());
        }
    }

    @Test
    void shouldWriteLabelsAsSnakeCaseJsonInTheAgreedFieldOrder() {
        Label label = new Label("RATE_MISMATCH", "acct-00042", "inv-acct-00042-202403/L2", new BigDecimal("12.50"),
                "USD", "inv-acct-00042-202403", "L2", "2024-03", "contract pricing error: billed the pre-amendment rate");

        assertThat(label.toJsonLine()).isEqualTo("{\"type\":\"RATE_MISMATCH\",\"account_id\":\"acct-00042\","
                + "\"evidence_key\":\"inv-acct-00042-202403/L2\",\"amount\":\"12.5\",\"currency\":\"USD\","
                + "\"invoice_id\":\"inv-acct-00042-202403\",\"line_id\":\"L2\",\"period\":\"2024-03\","
                + "\"cause\":\"contract pricing error: billed the pre-amendment rate\"}");
    }

    @Test
    void shouldListLabelsByPeriodAccountAndEvidenceKey() {
        assertThat(NOISY_WORLD.labels()).isSortedAccordingTo(Label.ORDER);
    }

    @Test
    void shouldDeriveAtLeastThreeBadRecordsWhenLeftOnAuto() {
        GeneratorOptions options = GeneratorOptions.defaults(10, 3, 1);

        assertThat(options.resolvedBadRecordCount(100)).isEqualTo(3);
        assertThat(options.resolvedBadRecordCount(200_000)).isEqualTo(20);
        assertThat(options.resolvedBadRecordCount(0)).isZero();
        assertThat(options.withBadRecordCount(0).resolvedBadRecordCount(200_000)).isZero();
    }

    @Test
    void shouldStartInvoicingInTheRequestedMonth() {
        World world = WorldGenerator.generate(GeneratorOptions.defaults(5, 2, 3).withStartMonth(YearMonth.of(2025, 7)));

        assertThat(world.invoiceLines()).first()
                .extracting(InvoiceLine::getServicePeriodStart).isEqualTo(Instant.parse("2025-07-01T00:00:00Z"));
        assertThat(world.invoiceLines()).first()
                .extracting(InvoiceLine::getIssuedAt).isEqualTo(Instant.parse("2025-08-01T06:00:00Z"));
    }

    // --- helpers ---

    /** The per-line findings on attributed lines (unattributed ones get no per-line alert). */
    private static List<Finding> findings(World world) {
        Map<String, List<Contract>> versions = versionsByAccount(world);
        InvoiceLineChecks checks = new InvoiceLineChecks();
        List<Finding> findings = new ArrayList<>();
        for (InvoiceLine line : world.invoiceLines()) {
            if (attributed(versions, line)) {
                findings.addAll(checks.check(line, inForce(versions, line)));
            }
        }
        return findings;
    }

    private static boolean attributed(Map<String, List<Contract>> versions, InvoiceLine line) {
        return line.getAccountId() != null && versions.containsKey(line.getAccountId());
    }

    private static Map<String, List<Contract>> versionsByAccount(World world) {
        return world.contracts().stream().collect(Collectors.groupingBy(Contract::getAccountId, TreeMap::new,
                Collectors.toList()));
    }

    private static Map<String, Contract> latestVersions(World world) {
        Map<String, Contract> latest = new TreeMap<>();
        versionsByAccount(world).forEach((account, list) -> latest.put(account,
                list.stream().max(Comparator.comparingInt(Contract::getVersion)).orElseThrow()));
        return latest;
    }

    /** The contract version the versioned table holds at the line's record time (issued_at). */
    private static Contract inForce(Map<String, List<Contract>> versions, InvoiceLine line) {
        return versions.getOrDefault(line.getAccountId(), List.of()).stream()
                .filter(c -> !c.getSignedAt().isAfter(line.getIssuedAt()))
                .max(Comparator.comparingInt(Contract::getVersion))
                .orElse(null);
    }

    private static boolean isWhole(BigDecimal value) {
        return value.stripTrailingZeros().scale() <= 0;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> readGood(
            Path file, Set<String> bad, JsonEventCodec<T> codec) throws IOException {
        List<T> events = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!bad.contains(line)) {
                try {
                    events.add(codec.decode(line));
                } catch (EventDecodingException e) {
                    throw new AssertionError("good line does not decode: " + line, e);
                }
            }
        }
        return events;
    }

    /** Which of the bad-record rules a raw line breaks, judged independently of the generator. */
    private static String rejectionOf(BadRecord record) {
        try {
            if (record.target() == BadRecord.Target.USAGE) {
                io.leakwatch.events.UsageRecord usage = new JsonEventCodec<>(EventType.USAGE).decode(record.line());
                return usage.getAccountId() == null ? BadRecords.MISSING_ACCOUNT : timestampRule(usage.getOccurredAt());
            }
            if (record.target() == BadRecord.Target.INVOICES) {
                InvoiceLine line = new JsonEventCodec<>(EventType.INVOICE_LINE).decode(record.line());
                if (line.getInvoiceId().isBlank()) {
                    return BadRecords.BLANK_ID;
                }
                if (line.getQuantity().signum() * line.getLineTotal().signum() < 0) {
                    return BadRecords.OPPOSITE_SIGNS;
                }
                if (!io.leakwatch.money.Currencies.isKnown(line.getCurrency())) {
                    return BadRecords.UNKNOWN_CURRENCY;
                }
                return timestampRule(line.getIssuedAt());
            }
            Contract contract = new JsonEventCodec<>(EventType.CONTRACT).decode(record.line());
            if (contract.getContractId().isBlank()) {
                return BadRecords.BLANK_ID;
            }
            if (contract.getLines().stream().anyMatch(l -> !io.leakwatch.money.Currencies.isKnown(l.getCurrency()))) {
                return BadRecords.UNKNOWN_CURRENCY;
            }
            return timestampRule(contract.getSignedAt());
        } catch (EventDecodingException e) {
            return e.getMessage().startsWith("malformed JSON") ? BadRecords.MALFORMED_JSON
                    : e.getMessage();
        }
    }

    private static String timestampRule(Instant at) {
        if (at.isBefore(PLAUSIBLE_FROM)) {
            return BadRecords.TIMESTAMP_1970;
        }
        if (!at.isBefore(PLAUSIBLE_TO)) {
            return BadRecords.TIMESTAMP_2999;
        }
        return "accepted";
    }
}
