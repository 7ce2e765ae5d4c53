package io.leakwatch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers of the production code, from the bottom: the <b>rules</b> (events and their wire formats, money,
 * contracts, the detectors, the account engine, features, scoring: no Kafka), the <b>stream</b> (Kafka serdes, ingest,
 * processors, topology, topics, state stores), <b>config</b>, the <b>registry</b> (the schema registry client), then <b>app</b> (running against a cluster) and <b>slack</b> (the bridge) side by side,
 * the <b>tools</b> (generator, backtest, bench, demo, report, the embedded broker) and last the <b>cli</b> that offers
 * them all. A layer uses only the layers below it; no package depends on itself through others. A failure names the
 * offending class and the dependency.
 */
@AnalyzeClasses(packages = "io.leakwatch", importOptions = ArchitectureTest.ProductionCode.class)
class ArchitectureTest {
    private static final String[] RULES = {"io.leakwatch.events..", "io.leakwatch.money..", "io.leakwatch.periods..",
            "io.leakwatch.contracts..", "io.leakwatch.detect..", "io.leakwatch.account..", "io.leakwatch.alerts..",
            "io.leakwatch.features..", "io.leakwatch.labels..", "io.leakwatch.scoring..", "io.leakwatch.serde.."};
    private static final String[] STREAM = {"io.leakwatch.ingest..", "io.leakwatch.stream..",
            "io.leakwatch.topology..", "io.leakwatch.topics..", "io.leakwatch.state..", "io.leakwatch.metrics.."};
    private static final String[] TOOLS = {"io.leakwatch.generator..", "io.leakwatch.backtest..", "io.leakwatch.bench..",
            "io.leakwatch.demo..", "io.leakwatch.report..", "io.leakwatch.broker..", "io.leakwatch.progress..",
            "io.leakwatch.importer.."};

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.leakwatch.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("rules").definedBy(RULES)
            .layer("stream").definedBy(STREAM)
            .layer("config").definedBy("io.leakwatch.config..")
            .layer("registry").definedBy("io.leakwatch.registry..")
            .layer("app").definedBy("io.leakwatch.app..")
            .layer("slack").definedBy("io.leakwatch.slack..")
            .layer("tools").definedBy(TOOLS)
            .layer("cli").definedBy("io.leakwatch.cli..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("tools").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("app").mayOnlyBeAccessedByLayers("tools", "cli")
            .whereLayer("slack").mayOnlyBeAccessedByLayers("tools", "cli")
            .whereLayer("registry").mayOnlyBeAccessedByLayers("app", "slack", "tools", "cli")
            .whereLayer("config").mayOnlyBeAccessedByLayers("registry", "app", "slack", "tools", "cli")
            .whereLayer("stream").mayOnlyBeAccessedByLayers("config", "registry", "app", "slack", "tools", "cli")
            .whereLayer("rules").mayOnlyBeAccessedByLayers("stream", "config", "registry", "app", "slack", "tools",
                    "cli");

    @ArchTest
    static final ArchRule rulesNeverUseKafka = noClasses().that().resideInAnyPackage(RULES)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
            .because("the rules are judged the same in a backtest, a test and the stream: Kafka is the stream's business");

    @ArchTest
    static final ArchRule coreCountsWithoutARegistryOrAServer = noClasses().that()
            .resideInAnyPackage(java.util.stream.Stream.of(RULES, STREAM, new String[] {"io.leakwatch.config.."})
                    .flatMap(java.util.Arrays::stream).toArray(String[]::new))
            .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.javalin..", "org.eclipse.jetty..")
            .because("the topology tells a TopologyMeters what it writes; the metrics registry and the HTTP server"
                    + " are the running application's, so a backtest needs neither");

    @ArchTest
    static final ArchRule onlyTheAppServesHttp = noClasses().that()
            .resideOutsideOfPackages("io.leakwatch.app..", "io.leakwatch.cli..", "io.leakwatch.demo..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..")
            .because("one HTTP server, the app's (app.http), carries metrics, health and what is served next");

    /**
     * The production classes of every module, as directories (a module's own build) or jars (the reactor's verify):
     * not test classes, and not the test jar core shares with the other modules' tests.
     */
    static final class ProductionCode implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("/test-classes/") && !location.contains("-tests.jar");
        }
    }
}
