package jcnn.backend;

/** Elementwise binary operations; the backends broadcast their inputs NumPy-style. */
public enum BinaryOp {
  ADD,
  SUB,
  MUL,
  DIV;

  public float apply(float a, float b) {
    return switch (this) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / b;
    };
  }

  public double apply(double a, double b) {
    return switch (this) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / b;
    };
  }
}
