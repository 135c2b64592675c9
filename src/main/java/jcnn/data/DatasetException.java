package jcnn.data;

import java.io.IOException;

/**
 * A dataset file is missing or damaged. The message is one line that names the file and says what
 * was expected and what was found, so a user can act on it without a stack trace (STYLE.md rule
 * 11). Tested by the corrupted-file cases of {@code IdxReaderTest} and {@code CifarReaderTest}.
 */
public class DatasetException extends IOException {
  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
