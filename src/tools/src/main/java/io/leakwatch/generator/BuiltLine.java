package io.leakwatch.generator;

import io.leakwatch.events.InvoiceLine;

/**
 * A generated invoice line and whether {@link DuplicateChargeInjector} may copy it: clean, whole month and not
 * zero.
 */
record BuiltLine(InvoiceLine line, boolean copyable) {
}
