package io.leakwatch.importer;

import java.nio.file.Path;

/**
 * What an import did.
 *
 * @param rowsRead    data rows read (the header not counted)
 * @param blankRows   rows with every cell empty, skipped
 * @param records     records written
 * @param output      the JSON Lines file written
 * @param rejected    rows written to the rejects file
 * @param rejectsFile the rejects file, or null when no row was rejected
 */
public record ImportResult(long rowsRead, long blankRows, long records, Path output, long rejected, Path rejectsFile) {
}
