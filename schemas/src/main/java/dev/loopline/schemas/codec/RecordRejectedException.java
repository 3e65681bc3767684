package dev.loopline.schemas.codec;

/** A record that cannot be read or is not valid; the message is the dead-letter reason. */
public final class RecordRejectedException extends Exception {
    public RecordRejectedException(String reason) {
        super(reason);
    }

    public RecordRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
