package io.leakwatch.serde;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/** Jackson's messages span several lines; users get one. */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** {@code "Unexpected character ('}' ...) (line 2, column 12)"} for a parse error, else the first line. */
    public static String oneLine(Exception e) {
        if (e instanceof JsonProcessingException json) {
            JsonLocation at = json.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            return firstLine(json.getOriginalMessage()) + where;
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
