package io.leakwatch.importer;

/** One CSV row that cannot become a record; the message is the reason written to the rejects file. */
final class RowRejected extends Exception {
    RowRejected(String reason) {
        super(reason, null, false, false);
    }
}
