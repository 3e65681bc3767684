package dev.loopline.jobs.report;

/**
 * The moment a model version was first seen in the running stream.
 *
 * @param version         model version number
 * @param firstSeenMillis epoch milliseconds when the version was first used
 */
public record ModelMark(long version, long firstSeenMillis) {
}
