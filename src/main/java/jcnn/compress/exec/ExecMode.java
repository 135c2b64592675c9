package jcnn.compress.exec;

import java.util.Locale;

/**
 * How a loaded {@code .jcz} model runs ({@code --exec}): {@link #DENSE} decodes every weight to
 * float32 (the behaviour before compressed execution existed), {@link #COMPRESSED} keeps every
 * layer it can in its most compact form, {@link #AUTO} keeps a layer compressed only where that
 * form is also expected to be faster than the dense kernel (see {@link ExecPlan#AUTO_DENSITY}).
 */
public enum ExecMode {
  DENSE,
  COMPRESSED,
  AUTO;

  /** The mode named {@code s} (any case), or a one-line error listing the choices. */
  public static ExecMode parse(String s) {
    for (ExecMode m : values()) {
      if (m.name().equalsIgnoreCase(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("--exec must be dense, compressed or auto, got '" + s + "'");
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
