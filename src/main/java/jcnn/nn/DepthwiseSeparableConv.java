package jcnn.nn;

/**
 * MobileNet's block (Howard et al. 2017): a 3x3 depthwise convolution (groups = C, one filter per
 * channel, with the stride) then a 1x1 pointwise convolution mixing channels, each followed by
 * batch norm and ReLU. It costs C * 9 + C * K multiply-adds per output pixel instead of C * K * 9.
 * Children: 0 dw conv, 1 BN, 2 ReLU, 3 pw conv, 4 BN, 5 ReLU; the convolutions have no bias (the
 * BN's beta plays that role). Gradient-checked in {@code LayerGradTest}.
 */
public class DepthwiseSeparableConv extends Sequential {
  private final String settings;

  /** [N, C, H, W] -> [N, K, ceil(H / stride), ceil(W / stride)]; seed drives both weights. */
  public DepthwiseSeparableConv(int inC, int outC, int stride, long seed) {
    super(
        new Conv2d(inC, inC, 3, stride, 1, inC, false, seed),
        new BatchNorm2d(inC),
        new ReLU(),
        new Conv2d(inC, outC, 1, 1, 0, 1, false, seed + 1),
        new BatchNorm2d(outC),
        new ReLU());
    this.settings = inC + " -> " + outC + ", stride " + stride;
  }

  @Override
  protected String extraRepr() {
    return settings;
  }
}
