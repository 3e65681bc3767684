package dev.loopline.core.validate;

/**
 * Why an input record is refused: its kind, one lower-case word or hyphenated phrase a reader can count
 * by (e.g. {@code empty-actions}), and the details. The dead-letter reason is {@code kind: details}.
 */
public record Rejection(String kind, String details) {
    public String reason() {
        return kind + ": " + details;
    }
}
