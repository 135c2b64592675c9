/**
 * Optimizers that update {@link jcnn.nn.Parameter}s in place from their gradients ({@link
 * jcnn.optim.Sgd}, {@link jcnn.optim.Adam}, with checkpointable state) and learning-rate schedules
 * ({@link jcnn.optim.LrSchedule}). Call order: {@code zeroGrad -> forward -> backward -> step}.
 *
 * <p>May import {@code jcnn.nn} and the packages below it ({@code jcnn.autograd}, {@code
 * jcnn.backend}, {@code jcnn.tensor}).
 */
package jcnn.optim;
