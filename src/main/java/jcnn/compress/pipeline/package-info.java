/**
 * The end-to-end compression pipeline and the published recipes: {@link
 * jcnn.compress.pipeline.CompressionPipeline} (load a trained model file, prune, retrain, share
 * weights, fine-tune, encode to {@code .jcz}, read it back and check it bit for bit, report), its
 * {@link jcnn.compress.pipeline.CompressOptions}, {@link jcnn.compress.pipeline.CompressedModel} (a
 * network to and from a {@code .jcz} file) and {@link jcnn.compress.pipeline.Recipes} (Deep
 * Compression's and Tzelepis et al.'s pipelines, train to report, with their settings).
 *
 * <p>Layer 6: may import {@code jcnn.train}, {@code jcnn.models}, {@code jcnn.data}, {@code
 * jcnn.report} and every {@code jcnn.compress} package; only the CLI sits above it.
 */
package jcnn.compress.pipeline;
