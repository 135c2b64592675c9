/**
 * Plain data: {@link jcnn.tensor.Shape}, the float32 {@link jcnn.tensor.Tensor} and {@link
 * jcnn.tensor.IntTensor}. The bottom layer of jcnn: it imports nothing else from jcnn.
 */
package jcnn.tensor;
