package io.leakwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.DetectorSwitches;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replay switches off in the engine the detectors its input cannot support, besides those the config switched off. */
class InputsMissingOffTest {
    @TempDir
    Path dir;

    private static TopologySettings configuredOff(Set<AlertType> off) {
        TopologySettings s = TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON, new BundledSchemaResolver());
        return s.toBuilder().detection(s.detection().withSwitches(DetectorSwitches.off(off))).build();
    }

    private InputCoverage inputsWithout(String missing) throws IOException {
        for (String file : List.of("contracts", "provisioning", "usage", "invoices", "payments")) {
            if (!file.equals(missing)) {
                Files.writeString(dir.resolve(file + ".jsonl"), "");
            }
        }
        return InputCoverage.of(dir, TopicCatalog.bundled());
    }

    @Test
    void shouldSwitchOffWhatAMissingInputCannotSupportAndKeepTheConfiguredSwitches() throws IOException {
        TopologySettings configured = configuredOff(Set.of(AlertType.DUPLICATE_CHARGE));

        TopologySettings replayed = Backtest.withInputsMissingOff(configured, inputsWithout("payments"));

        assertThat(replayed.detection().switches().off()).containsExactlyInAnyOrder(AlertType.DUPLICATE_CHARGE,
                AlertType.UNPAID_INVOICE, AlertType.UNDERPAYMENT, AlertType.FAILED_PAYMENT_NOT_RECOVERED,
                AlertType.HIGH_LEAKAGE_RISK, AlertType.HIGH_CHURN_RISK);
    }

    @Test
    void shouldLeaveTheSettingsAsConfiguredWhenEveryInputIsPresent() throws IOException {
        TopologySettings configured = configuredOff(Set.of(AlertType.DUPLICATE_CHARGE));

        TopologySettings replayed = Backtest.withInputsMissingOff(configured, inputsWithout("none"));

        assertThat(replayed).isSameAs(configured);
    }
}
