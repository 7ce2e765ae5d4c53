package io.leakwatch.serde;

/**
 * What a stored binary state is and which layout of it: the first byte of the bytes a codec writes is
 * {@code version}, and a reader of another version refuses them ({@link StateReader#header}) rather than misread
 * them. A codec raises its version whenever its layout changes.
 *
 * @param name    what the bytes hold, as people and error messages call it ({@code account-state})
 * @param version the layout, 0..255
 */
public record StateFormat(String name, int version) {
    public StateFormat {
        if (version < 0 || version > 255) {
            throw new IllegalArgumentException(name + ": a format version is one byte, not " + version);
        }
    }
}
