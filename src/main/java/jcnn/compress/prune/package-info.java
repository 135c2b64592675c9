/**
 * Magnitude pruning as reparametrisation: a pruned weight is {@code orig * mask} with the mask a
 * saved buffer ({@link jcnn.compress.prune.Pruning}); the criteria that choose masks (class-blind,
 * class-uniform, layer-wise, class-distribution: {@link jcnn.compress.prune.PruneCriterion}); and
 * the schedules that use them: {@link jcnn.compress.prune.OneShot}, the Tzelepis loop with rollback
 * ({@link jcnn.compress.prune.IterativePruning}), {@link jcnn.compress.prune.SensitivityScan} and
 * {@link jcnn.compress.prune.PruningCurve}. Training and validation come in as callbacks ({@link
 * jcnn.compress.prune.Retrainer}, {@link jcnn.compress.prune.Validator}) because the training loop
 * lives above this package.
 *
 * <p>Call order for masked retraining: prune -> (new optimizer, or {@code
 * Pruning.maskOptimizerState}) -> {@code zeroGrad -> forward -> backward -> step} as usual ->
 * {@code Pruning.bake} (or save with the masks and load with {@code Pruning.restore}).
 *
 * <p>May import {@code jcnn.nn} and the packages below it ({@code jcnn.autograd}, {@code
 * jcnn.backend}, {@code jcnn.tensor}); {@code jcnn.optim} sits at the same layer, so optimizer
 * state comes in as plain tensors.
 */
package jcnn.compress.prune;
