/**
 * Reverse-mode automatic differentiation: {@link jcnn.autograd.Variable} (value + gradient + the op
 * that made it), {@link jcnn.autograd.Function} (one differentiable primitive), {@link
 * jcnn.autograd.Autograd} (topological backward) and {@link jcnn.autograd.GradMode} (no-grad
 * scopes). The primitives themselves live in {@code jcnn.autograd.ops}, one class each, and {@code
 * F} is their functional facade. Imports {@code jcnn.tensor} and {@code jcnn.backend}.
 */
package jcnn.autograd;
