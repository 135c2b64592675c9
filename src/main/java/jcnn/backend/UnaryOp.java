package jcnn.backend;

/**
 * Elementwise unary operations with their derivatives.
 *
 * <p>{@link #derivative} gives dy/dx from the input x and the output y = f(x); backends multiply it
 * by the incoming gradient. {@code SIGN} uses the straight-through estimator of Courbariaux et al.
 * (BinaryConnect/BNN): forward sign(x) in {-1, +1} (sign(0) = +1), backward 1 where |x| <= 1, else
 * 0.
 */
public enum UnaryOp {
  RELU,
  RELU6,
  HARDTANH,
  SIGMOID,
  TANH,
  SIGN,
  EXP,
  LOG,
  NEG,
  SQUARE;

  public double apply(double x) {
    return switch (this) {
      case RELU -> x > 0 ? x : 0;
      case RELU6 -> Math.min(Math.max(x, 0), 6);
      case HARDTANH -> Math.min(Math.max(x, -1), 1);
      case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
      case TANH -> Math.tanh(x);
      case SIGN -> x >= 0 ? 1 : -1;
      case EXP -> Math.exp(x);
      case LOG -> Math.log(x);
      case NEG -> -x;
      case SQUARE -> x * x;
    };
  }

  /**
   * dy/dx at input x with output y = apply(x). At kinks the derivative of the left piece is used.
   */
  public double derivative(double x, double y) {
    return switch (this) {
      case RELU -> x > 0 ? 1 : 0;
      case RELU6 -> x > 0 && x < 6 ? 1 : 0;
      case HARDTANH -> x > -1 && x < 1 ? 1 : 0;
      case SIGN -> x >= -1 && x <= 1 ? 1 : 0;
      case SIGMOID -> y * (1 - y);
      case TANH -> 1 - y * y;
      case EXP -> y;
      case LOG -> 1 / x;
      case NEG -> -1;
      case SQUARE -> 2 * x;
    };
  }

  /** The lower-case name used in error messages and op names, e.g. {@code relu6}. */
  public String opName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
