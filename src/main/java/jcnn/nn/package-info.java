/**
 * Layers and networks, after PyTorch's {@code torch.nn}: {@link jcnn.nn.Module} (named parameters,
 * buffers and children, state dicts, train/eval, the {@link jcnn.nn.WeightTransform} hook that
 * compression uses to rewire weights), {@link jcnn.nn.Parameter}, the layers (Linear, Conv2d,
 * DepthwiseSeparableConv, BatchNorm2d, Dropout, pooling, activations) and the containers {@link
 * jcnn.nn.Sequential} and {@link jcnn.nn.Residual}. Layers are built from {@code
 * jcnn.autograd.ops.F}, so none has a backward of its own.
 *
 * <p>May import {@code jcnn.tensor}, {@code jcnn.backend} and {@code jcnn.autograd}; subpackages
 * {@code init} (initialisers) and {@code loss} (loss functions).
 */
package jcnn.nn;
