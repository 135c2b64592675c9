/**
 * The {@code jcnn} command line: one class per command, parsed by picocli. Commands only wire
 * together what the other packages provide (no maths here); this is the top layer, so it may import
 * any jcnn package. Errors reach the user as one line {@code jcnn: error: ...}; with {@code --json}
 * the last line of stdout is one JSON object. Tested in {@code jcnn.cli.*Test}.
 */
package jcnn.cli;
