package jcnn.report;

import java.util.List;
import java.util.Locale;

/** Small Markdown and number-formatting helpers for the report. Tested through the report tests. */
final class Md {
  private Md() {}

  /** A Markdown table: a header row, the separator, one line per row. */
  static String table(List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(row(header));
    sb.append('|');
    for (int i = 0; i < header.size(); i++) {
      sb.append(" --- |");
    }
    sb.append('\n');
    for (List<String> r : rows) {
      sb.append(row(r));
    }
    return sb.toString();
  }

  private static String row(List<String> cells) {
    StringBuilder sb = new StringBuilder("|");
    for (String c : cells) {
      sb.append(' ').append(c.replace("|", "\\|")).append(" |");
    }
    return sb.append('\n').toString();
  }

  /** An accuracy in [0, 1] as 0.9912, or "-" for NaN. */
  static String acc(double a) {
    return Double.isFinite(a) ? String.format(Locale.ROOT, "%.4f", a) : "-";
  }

  /** A fraction as a percentage with two decimals, or "-". */
  static String pct(double f) {
    return Double.isFinite(f) ? String.format(Locale.ROOT, "%.2f%%", 100 * f) : "-";
  }

  /** A byte count with thousands separators, or "-". */
  static String bytes(double b) {
    return Double.isFinite(b) ? String.format(Locale.ROOT, "%,.0f", b) : "-";
  }

  /** A rate as 12.3x, or "-". */
  static String rate(double r) {
    return Double.isFinite(r) ? String.format(Locale.ROOT, "%.1fx", r) : "-";
  }

  /** A number with the given decimals, or "-". */
  static String num(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
  }
}
