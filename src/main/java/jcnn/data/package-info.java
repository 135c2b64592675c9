/**
 * Datasets and mini-batches. {@link jcnn.data.Datasets} loads MNIST, Fashion-MNIST and CIFAR-10 by
 * name (files found by {@link jcnn.data.DataPaths}: {@code --data-dir}, {@code $JCNN_DATA}, the
 * repo's {@code datasets/}), through {@link jcnn.data.IdxReader} and {@link jcnn.data.CifarReader},
 * which check every file and report damage in one line naming it ({@link
 * jcnn.data.DatasetException}). A {@link jcnn.data.Dataset} holds images as bytes [N, C, H, W] and
 * makes cheap subsets and seeded train / validation splits; a {@link jcnn.data.DataLoader} turns it
 * into normalised, optionally augmented ({@link jcnn.data.Augment}) float batches, built ahead on a
 * background thread, identical for a given (seed, epoch) however they are prefetched. {@link
 * jcnn.data.ImageInput} turns image files (through {@code javax.imageio}) into the same normalised
 * input, resized by {@code Resample}, for {@code jcnn predict}.
 *
 * <p>Call order: {@code Datasets.load -> (split) -> DataLoader.builder(...).build() -> for each
 * epoch: try (Batches b = loader.epoch(e)) { ... }}. Imports only {@code jcnn.tensor} (and
 * commons-compress for the CIFAR-10 archive, the JDK's {@code javax.imageio} for image files).
 */
package jcnn.data;
