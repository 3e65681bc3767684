package dev.loopline.jobs.report;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * Header data of the HTML report.
 *
 * @param title   page title
 * @param figures key/value summary figures, shown in insertion order
 * @param models  model versions and when each was first seen
 */
public record ReportSummary(String title, LinkedHashMap<String, String> figures, List<ModelMark> models) {
}
