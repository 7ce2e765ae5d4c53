package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void shouldWidenAColumnToItsLongestCellAndKeepTheNextColumnsInLine() {
        String table = new TextTable().left("account").right("revenue").left("type")
                .row("acct-1", "USD 10.00", "SPIKE")
                .row("Acme, Inc. (EMEA subsidiary)", "USD 1,234,567.00", "DROP")
                .render();

        assertThat(table).isEqualTo("""
                account                                revenue  type
                acct-1                               USD 10.00  SPIKE
                Acme, Inc. (EMEA subsidiary)  USD 1,234,567.00  DROP
                """);
    }

    @Test
    void shouldLeaveOutTheHeaderWhenAskedAndIndentEveryLine() {
        String table = new TextTable().indent("  ").left("type").right("n").row("RATE_MISMATCH", 286).row("SPIKE", 11)
                .render(false);

        assertThat(table).isEqualTo("  RATE_MISMATCH  286\n  SPIKE           11\n");
    }

    @Test
    void shouldRefuseARowWithTheWrongNumberOfCells() {
        assertThatThrownBy(() -> new TextTable().left("a").left("b").row("only one"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a row of 1 cells in a table of 2 columns");
    }
}
