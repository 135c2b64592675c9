/**
 * The differentiable primitives, one class each with forward and backward side by side and the
 * gradient formula in its Javadoc, and {@link jcnn.autograd.ops.F}, their functional facade.
 */
package jcnn.autograd.ops;
