/**
 * Loss functions over model outputs: {@link jcnn.nn.loss.CrossEntropyLoss}. Imports {@code
 * jcnn.tensor} and {@code jcnn.autograd}.
 */
package jcnn.nn.loss;
