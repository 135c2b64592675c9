package jcnn.compress.pipeline;

import java.nio.file.Path;
import jcnn.nn.Module;
import jcnn.report.CompressionSummary;
import jcnn.report.ReportWriter;

/**
 * What a compression run produced: every figure ({@link CompressionSummary}, also the report's and
 * the CLI's {@code --json} content), the {@code .jcz} file, the report files (null when no report
 * was asked for), the compressed model as it was in memory and the model decoded from the file.
 */
public record CompressionResult(
    CompressionSummary summary,
    Path jczFile,
    ReportWriter.Written report,
    Module compressed,
    Module decoded) {}
