package jcnn.compress.codec;

import java.io.IOException;

/**
 * Thrown when encoded data cannot be decoded: a bit stream ran out, a Huffman code maps to no
 * symbol, a length or count is impossible. It is an {@link IOException} because it always means a
 * damaged or foreign input, never a programming error; {@link JczReader} rewraps it with the file
 * and section it came from (the rewrapped exception is one too, so {@code jcnn} can tell a damaged
 * file, bad input with exit code 2, from a failed read). Tested by the corrupt-input cases of every
 * codec test.
 */
public class CorruptStreamException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptStreamException(String message) {
    super(message);
  }

  public CorruptStreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
