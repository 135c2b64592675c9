/**
 * Reports of compression runs: {@link jcnn.report.CompressionSummary} holds every figure of a run
 * (Tzelepis et al. 2019, Tables II and III; the measured {@code .jcz} file per tensor; pruning
 * curves; weights per stage), {@link jcnn.report.ReportWriter} writes {@code report.md} and the PNG
 * charts of {@link jcnn.report.Charts} (XChart, headless), and {@link jcnn.report.Published} holds
 * the published rows printed beside ours (REFERENCE.md).
 *
 * <p>Layer 5: imports {@code jcnn.compress.*} (for {@code SizeReport}, {@code Curve}, {@code
 * IterativePruning.Round}) and {@code jcnn.nn.io} (atomic writes), never {@code jcnn.train} or the
 * pipeline above it, so the pipeline builds the summary and hands it down.
 */
package jcnn.report;
