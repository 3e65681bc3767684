package dev.loopline.schemas.codec;

/**
 * A record that cannot be read or is not valid. The message is the dead-letter reason and starts with
 * the kind of problem ({@code kind: details}, e.g. {@code malformed-bytes: ...}), so a dead-letter reader
 * can count refusals by kind ({@link #kindOf}).
 */
public final class RecordRejectedException extends Exception {
    private final String kind;

    public RecordRejectedException(String kind, String details) {
        super(reason(kind, details));
        this.kind = kind;
    }

    public RecordRejectedException(String kind, String details, Throwable cause) {
        super(reason(kind, details), cause);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }

    /** The dead-letter reason of a refusal: its kind, then what was wrong. */
    public static String reason(String kind, String details) {
        return kind + ": " + details;
    }

    /** The kind a dead-letter reason names, or {@code unknown} for a reason written without one. */
    public static String kindOf(String reason) {
        int colon = reason == null ? -1 : reason.indexOf(": ");
        String kind = colon > 0 ? reason.substring(0, colon) : "";
        return kind.matches("[a-z]+(-[a-z]+)*") ? kind : "unknown";
    }
}
