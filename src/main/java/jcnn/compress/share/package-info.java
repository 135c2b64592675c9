/**
 * Weight sharing, the second stage of Deep Compression (Han et al. 2016) and of Tzelepis et al.
 * 2019: per-layer 1-D k-means over the unpruned weights ({@link jcnn.compress.share.KMeans1D}), the
 * number of clusters per layer ({@link jcnn.compress.share.ClusterCount}, Tzelepis' Eq. (1)), and
 * the rewiring of a network's weights as {@code gather(codebook, codes)} so that fine-tuning trains
 * only the centroids ({@link jcnn.compress.share.WeightSharing}, {@link
 * jcnn.compress.share.SharedWeight}). Call order: prune, bake the pruning, {@code apply}, train
 * with {@code trainableParameters}, then hand {@code shared(model)} to the codec or {@code bake}.
 */
package jcnn.compress.share;
