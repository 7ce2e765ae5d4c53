package io.leakwatch.serde;

import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * The stable code each constant of an enum is stored as. Stored state outlives a release, and an enum's ordinals
 * change when a constant is added in the middle or the list is sorted, so a state codec never stores an ordinal:
 * it names each constant's code once, in a switch without default (the compiler then refuses a new constant
 * until it has a code):
 * <pre>
 * StateCodes.of(Mark.class, mark -&gt; switch (mark) { case NONE -&gt; 0; case SPIKE -&gt; 1; ... })
 * </pre>
 * A code is never reused for another constant, even after the first one is gone.
 */
public final class StateCodes<E extends Enum<E>> {
    private final Class<E> type;
    private final int[] codeByOrdinal;
    private final E[] constantByCode;

    private StateCodes(Class<E> type, ToIntFunction<E> code) {
        this.type = type;
        E[] constants = type.getEnumConstants();
        codeByOrdinal = new int[constants.length];
        int max = -1;
        for (E constant : constants) {
            int c = code.applyAsInt(constant);
            if (c < 0 || c > 255) {
                throw new IllegalArgumentException(type.getSimpleName() + "." + constant + ": code " + c + " is not 0..255");
            }
            codeByOrdinal[constant.ordinal()] = c;
            max = Math.max(max, c);
        }
        constantByCode = Arrays.copyOf(constants, max + 1);
        Arrays.fill(constantByCode, null);
        for (E constant : constants) {
            int c = codeByOrdinal[constant.ordinal()];
            if (constantByCode[c] != null) {
                throw new IllegalArgumentException(type.getSimpleName() + ": " + constantByCode[c] + " and " + constant
                        + " have the same code " + c);
            }
            constantByCode[c] = constant;
        }
    }

    /** The table {@code code} gives: a code of 0..255 for every constant, no two the same. */
    public static <E extends Enum<E>> StateCodes<E> of(Class<E> type, ToIntFunction<E> code) {
        return new StateCodes<>(type, code);
    }

    public int code(E constant) {
        return codeByOrdinal[constant.ordinal()];
    }

    /** The constant of {@code code}, or null when no constant has it. */
    public E constant(long code) {
        return code >= 0 && code < constantByCode.length ? constantByCode[(int) code] : null;
    }

    public String typeName() {
        return type.getSimpleName();
    }
}
