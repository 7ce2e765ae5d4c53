package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The CLI contract: exit codes 0/2/3 and one line on stderr for every user mistake, never a stack trace. */
class LeakwatchCommandTest {
    @TempDir
    static Path shared;
    static Path world;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Result leakwatch(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LeakwatchTools.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path properties(String content) throws IOException {
        Path file = dir.resolve("leakwatch.properties");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @BeforeAll
    static void generateSmallWorld() {
        world = shared.resolve("world");
        Result generated = leakwatch("generate", "--accounts", "20", "--months", "3", "--out", world.toString());
        assertThat(generated.exit()).as(generated.err()).isZero();
    }

    @Test
    void shouldSummariseEveryCommandInOneCompleteSentenceInTheCommandList() {
        // the command list shows the first line of each description: a line cut mid-sentence reads as a broken tool
        CommandLine cli = LeakwatchTools.commandLine();
        cli.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            String[] description = sub.getCommandSpec().usageMessage().description();
            assertThat(description).as(name + " has a description").isNotEmpty();
            assertThat(description[0]).as("the summary of " + name).endsWith(".").doesNotEndWith(",.").hasSizeLessThan(120);
        });
    }

    @Test
    void shouldExitTwoWithOneLineForUnknownFlag() {
        Result r = leakwatch("backtest", "--input", dir.toString(), "--out", dir.toString(), "--no-such-flag");

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .contains("Unknown option: '--no-such-flag'").contains("leakwatch backtest --help");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void shouldExitTwoWithOneLineForUnknownFlagWithoutRequiredOptions() {
        Result r = leakwatch("backtest", "--no-such-flag");

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
    }

    @Test
    void shouldExitTwoWithOneLineForUnknownTopLevelFlag() {
        Result r = leakwatch("--no-such-flag");

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
    }

    @Test
    void shouldExitTwoWithOneLineWhenBacktestInputIsMissing() {
        Result r = leakwatch("backtest", "--input", "/no/such/dir", "--out", dir.resolve("out").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("leakwatch backtest: input directory /no/such/dir does not exist");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void shouldExitTwoWithOneLineWhenBacktestInputHasNoEventFiles() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        Result r = leakwatch("backtest", "--input", empty.toString(), "--out", dir.resolve("out").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("no input files in " + empty);
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void shouldExitTwoWithOneLineWhenConfigFileIsMissing() {
        Path missing = dir.resolve("missing.properties");

        Result r = leakwatch("run", "--config", missing.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains(missing.toString()).doesNotContain("Exception");
    }

    @Test
    void shouldExitTwoWithOneLineWhenConfigHasNoBootstrapServers() throws IOException {
        Result r = leakwatch("run", "--config", properties("application.id=lw\n").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("bootstrap.servers");
    }

    @Test
    void shouldExitTwoNamingTheKeyWhenKafkaStreamsDoesNotKnowTheProcessingGuarantee() throws IOException {
        Result r = leakwatch("run", "--config", properties("bootstrap.servers=127.0.0.1:1\nprocessing.guarantee=bogus\n").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("leakwatch run: processing.guarantee: 'bogus' is not"
                + " a valid value: String must be one of: at_least_once, exactly_once_v2");
    }

    @Test
    void shouldExitTwoNamingTheKeyWhenAKafkaNumberDoesNotParse() throws IOException {
        Result r = leakwatch("topics", "check", "--config",
                properties("bootstrap.servers=127.0.0.1:1\nconsumer.max.poll.records=lots\n").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("leakwatch topics check: consumer.max.poll.records: 'lots' is not a valid value: Not a number of type INT");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldExitThreeWithOneLineWhenKafkaIsUnreachable() throws IOException {
        Result r = leakwatch("run", "--config", properties("bootstrap.servers=127.0.0.1:1\n").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.errLines()).singleElement().asString().contains("cannot reach Kafka at 127.0.0.1:1")
                .doesNotContain("Exception");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldExitThreeWithOneLineWhenTopicsCheckCannotReachKafka() throws IOException {
        Result r = leakwatch("topics", "check", "--config", properties("bootstrap.servers=127.0.0.1:1\n").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.errLines()).singleElement().asString().contains("cannot reach Kafka at 127.0.0.1:1");
    }

    @Test
    void shouldExitTwoWithOneLineWhenBenchModelsDirectoryIsMissing() {
        Result r = leakwatch("bench", "--with-scoring", "--models-dir", dir.resolve("no-models").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("leakwatch bench: ").contains("no-models").doesNotContain("unexpected");
    }

    @Test
    void shouldExitTwoWhenGeneratingZeroAccounts() {
        Result r = leakwatch("generate", "--accounts", "0", "--out", dir.resolve("w").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("--accounts");
        assertThat(dir.resolve("w")).doesNotExist();
    }

    @Test
    void shouldExitTwoWhenIfTopicsEmptyIsGivenWithoutAClusterToProduceTo() {
        Result r = leakwatch("generate", "--accounts", "5", "--out", dir.resolve("w").toString(), "--if-topics-empty");

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("leakwatch generate: --if-topics-empty needs --bootstrap-servers");
        assertThat(dir.resolve("w")).doesNotExist();
    }

    @Test
    void shouldExitTwoWithOneLineForNonNumericAccounts() {
        Result r = leakwatch("generate", "--accounts", "many", "--out", dir.resolve("w").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
    }

    @Test
    void shouldWriteWorldFilesWhenGenerating() {
        assertThat(world.resolve("contracts.jsonl")).isNotEmptyFile();
        assertThat(world.resolve("invoices.jsonl")).isNotEmptyFile();
        assertThat(world.resolve("labels.jsonl")).exists();
        assertThat(world.resolve("manifest.json")).isNotEmptyFile();
    }

    @Test
    void shouldGenerateByteIdenticalWorldForSameOptions() throws IOException {
        Result r = leakwatch("generate", "--accounts", "20", "--months", "3", "--out", dir.toString());

        assertThat(r.exit()).isZero();
        for (String file : List.of("contracts.jsonl", "invoices.jsonl", "labels.jsonl")) {
            assertThat(Files.readAllBytes(dir.resolve(file))).as(file).isEqualTo(Files.readAllBytes(world.resolve(file)));
        }
    }

    @Test
    void shouldBacktestGeneratedWorldAndWriteAlerts() {
        Path out = dir.resolve("out");

        Result r = leakwatch("backtest", "--input", world.toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(out.resolve("alerts.jsonl")).isRegularFile();
        assertThat(out.resolve("dead-letter.jsonl")).isRegularFile();
        assertThat(r.out()).contains("wrote " + out.resolve("alerts.jsonl"));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void shouldWriteByteIdenticalAlertsAndScoresWhenBacktestRunsTwice() throws IOException {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");

        assertThat(leakwatch("backtest", "--input", world.toString(), "--out", first.toString()).exit()).isZero();
        Result r = leakwatch("backtest", "--input", world.toString(), "--out", second.toString());
        assertThat(r.exit()).isZero();

        byte[] alerts = Files.readAllBytes(first.resolve("alerts.jsonl"));
        assertThat(alerts).isNotEmpty();
        assertThat(Files.readAllBytes(second.resolve("alerts.jsonl"))).isEqualTo(alerts);
        // the repository's models directory turns risk scoring on: the published scores are written too
        byte[] risks = Files.readAllBytes(first.resolve("account-risk.jsonl"));
        assertThat(new String(risks, java.nio.charset.StandardCharsets.UTF_8)).contains("\"account_id\"")
                .contains("\"model_versions\"");
        assertThat(Files.readAllBytes(second.resolve("account-risk.jsonl"))).isEqualTo(risks);
        assertThat(r.out()).contains("wrote " + second.resolve("account-risk.jsonl"));
    }

    @Test
    void shouldWriteReportWhenBacktestHasLabels() {
        Path out = dir.resolve("out");

        Result r = leakwatch("backtest", "--input", world.toString(), "--out", out.toString(),
                "--labels", world.resolve("labels.jsonl").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(out.resolve("report.json")).isNotEmptyFile();
        assertThat(r.out()).contains("precision").contains("recall");
    }

    @Test
    void shouldRefuseAnInputLineThatIsNotUtf8NamingFileAndLineBeforeWritingAnything() throws IOException {
        // Given the world with its third invoice line saved in Latin-1
        Path input = copyOfWorld("latin1", null);
        Path invoices = input.resolve("invoices.jsonl");
        List<String> lines = Files.readAllLines(invoices, StandardCharsets.UTF_8);
        lines.set(2, lines.get(2).replace("\"service\"", "\"servic\u00e9\""));
        Files.write(invoices, String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1));
        Path out = dir.resolve("out");

        Result r = leakwatch("backtest", "--input", input.toString(), "--out", out.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().startsWith("leakwatch backtest: " + invoices
                + " line 3 is not UTF-8 text (byte ");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldRefuseAnInputFileWithNoJsonInItBeforeWritingAnything() throws IOException {
        Path input = copyOfWorld("csv", null);
        Files.writeString(input.resolve("usage.jsonl"), "usage_id,account_id,quantity\nu-1,acct-1,3\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("out");

        Result r = leakwatch("backtest", "--input", input.toString(), "--out", out.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("leakwatch backtest: " + input.resolve("usage.jsonl")
                + " line 1 is not JSON, and no line of the file is a JSON object: not a JSON Lines file");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldTurnOffThePaymentDetectorsAndSaySoWhenPaymentsAreMissing() throws IOException {
        // Given the world without its payments file
        Path input = copyOfWorld("no-payments", "payments.jsonl");
        Path out = dir.resolve("out");

        // When it is replayed and scored
        Result r = leakwatch("backtest", "--input", input.toString(), "--out", out.toString(),
                "--labels", world.resolve("labels.jsonl").toString());

        // Then the run says at start which detectors are off, raises nothing from the absence, and reports them off
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst()).hasValue("input payments.jsonl is missing: FAILED_PAYMENT_NOT_RECOVERED,"
                + " HIGH_CHURN_RISK, HIGH_LEAKAGE_RISK, UNDERPAYMENT, UNPAID_INVOICE need it and are off for this run"
                + " (their alerts are not written or scored)");
        assertThat(Files.readString(out.resolve("alerts.jsonl"))).doesNotContain("UNPAID_INVOICE")
                .doesNotContain("UNDERPAYMENT").doesNotContain("FAILED_PAYMENT_NOT_RECOVERED").contains("\"type\"");
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.path("per_type").has("UNPAID_INVOICE")).isFalse();
        assertThat(report.path("detectors").path("UNPAID_INVOICE").path("ran").asBoolean(true)).isFalse();
        assertThat(report.path("detectors").path("UNPAID_INVOICE").path("missing_inputs").get(0).asText())
                .isEqualTo("payments.jsonl");
        assertThat(report.path("detectors").path("RATE_MISMATCH").path("ran").asBoolean(false)).isTrue();
        assertThat(r.out()).contains("detector off: UNPAID_INVOICE", "needs payments.jsonl, missing");
    }

    @Test
    void shouldRefuseAnOutputDirectoryThatCannotBeCreatedBeforeTheReplay() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x", StandardCharsets.UTF_8);
        Path out = file.resolve("out");

        Result r = leakwatch("backtest", "--input", world.toString(), "--out", out.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("leakwatch backtest: cannot create output directory " + out + " (FileSystemException)");
        assertThat(r.out()).doesNotContain("replayed");
    }

    @Test
    void shouldRefuseAnOutputFileThatIsADirectoryBeforeTheReplay() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out").resolve("alerts.jsonl")).getParent();

        Result r = leakwatch("backtest", "--input", world.toString(), "--out", out.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("leakwatch backtest: cannot write " + out.resolve("alerts.jsonl") + ": it is a directory");
        assertThat(out.resolve("dead-letter.jsonl")).doesNotExist();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldNotWriteTheWorldWhenTheClusterToProduceToIsUnreachable() {
        Path out = dir.resolve("w");

        Result r = leakwatch("generate", "--accounts", "5", "--months", "2", "--out", out.toString(),
                "--bootstrap-servers", "127.0.0.1:1");

        assertThat(r.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.errLines()).singleElement().asString().contains("cannot reach Kafka at 127.0.0.1:1");
        assertThat(out).doesNotExist();
    }

    private Path copyOfWorld(String name, String without) throws IOException {
        Path copy = Files.createDirectories(dir.resolve(name));
        try (var files = Files.list(world)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(without)) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        return copy;
    }

    @Test
    void shouldExitTwoWithOneLineWhenLabelsFileIsMissing() {
        Path missing = dir.resolve("labels.jsonl");

        Result r = leakwatch("backtest", "--input", world.toString(), "--out", dir.resolve("out").toString(),
                "--labels", missing.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains(missing.toString());
    }

    @Test
    void shouldExitTwoWithOneLineWhenLabelsFileIsMalformed() throws IOException {
        Path labels = Files.writeString(dir.resolve("labels.jsonl"), "{\"type\": RATE\n", StandardCharsets.UTF_8);

        Result r = leakwatch("backtest", "--input", world.toString(), "--out", dir.resolve("out").toString(),
                "--labels", labels.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("line 1");
    }

    @Test
    void shouldListEveryRoleOfTheCatalog() throws IOException {
        Result r = leakwatch("topics", "list", "--config", properties("bootstrap.servers=127.0.0.1:1\n").toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().map(l -> l.split("\\s+")[0]).toList()).containsExactly("contracts", "invoices",
                "usage", "payments", "provisioning", "alert-feedback", "alerts", "alert-state", "account-risk", "account-features", "dead-letter", "labels");
    }

    @Test
    void shouldListOverriddenTopicNameAndReplication() throws IOException {
        Result r = leakwatch("topics", "list", "--config", properties(
                "leakwatch.topic.invoices=billing.invoices\nleakwatch.topics.replication-factor=3\n").toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("invoices\\s+billing\\.invoices\\s+partitions=4 replication=3");
    }

    @Test
    void shouldExitTwoWithOneLineWhenConfiguredCatalogIsMalformed() throws IOException {
        Path catalog = Files.writeString(dir.resolve("topics.json"), "{\"topics\": [\n", StandardCharsets.UTF_8);

        Result r = leakwatch("topics", "list", "--config", properties("leakwatch.topics.catalog=" + catalog + "\n").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains(catalog.toString());
    }

    @Test
    void shouldExitTwoWithOneLineWhenConfiguredCatalogIsMissing() throws IOException {
        Path catalog = dir.resolve("no-topics.json");

        Result r = leakwatch("topics", "list", "--config", properties("leakwatch.topics.catalog=" + catalog + "\n").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains(catalog.toString());
    }

    @Test
    void shouldNameTheFullSubcommandInErrorLine() {
        Result r = leakwatch("topics", "list", "--config", dir.resolve("missing.properties").toString());

        assertThat(r.errLines()).singleElement().asString().startsWith("leakwatch topics list: ");
    }

    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"", "demo", "run", "generate", "backtest", "topics", "topics create", "topics list", "topology"})
    void shouldPrintUsageAndExitZeroForHelp(String subcommand) {
        List<String> args = new java.util.ArrayList<>(subcommand.isEmpty() ? List.of() : List.of(subcommand.split(" ")));
        args.add("--help");

        Result r = leakwatch(args.toArray(String[]::new));

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: leakwatch" + (subcommand.isEmpty() ? "" : " " + subcommand));
        assertThat(r.err()).isEmpty();
    }
}
