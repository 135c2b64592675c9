package jcnn.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One parameter of a network with the module that owns it and its local name: what a compression
 * stage needs to install a {@link WeightTransform} ({@code owner.setTransform(name, ...)}) on a
 * parameter it found by dotted path.
 *
 * @param path the dotted path, e.g. {@code 3.body.0.weight}
 * @param owner the module that registered the parameter
 * @param name its name in that module, e.g. {@code weight}
 */
public record ParameterSlot(String path, Module owner, String name, Parameter param) {

  /** Every parameter of root by dotted path in model order; a tied one appears under each name. */
  public static List<ParameterSlot> all(Module root) {
    Map<String, Module> modules = root.namedModules();
    List<ParameterSlot> out = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : root.namedParameters().entrySet()) {
      String path = e.getKey();
      int dot = path.lastIndexOf('.');
      Module owner = modules.get(dot < 0 ? "" : path.substring(0, dot));
      out.add(new ParameterSlot(path, owner, path.substring(dot + 1), e.getValue()));
    }
    return out;
  }

  /** The transform installed on this parameter, or null. */
  public WeightTransform transform() {
    return owner.transform(name);
  }
}
