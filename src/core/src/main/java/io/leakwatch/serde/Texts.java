package io.leakwatch.serde;

/** Values put into messages people read: a dead letter's detail, a refusal. */
public final class Texts {
    static final int SHORT = 80;

    private Texts() {
    }

    /**
     * The value quoted, cut to its first 60 characters (and its length said) when it is longer than 80: a message
     * that repeats a megabyte-long field would be a megabyte long.
     */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= SHORT ? "'" + text + "'"
                : "'" + text.substring(0, 60) + "…' (" + String.format("%,d", text.length()) + " characters)";
    }
}
