package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * JMH hands its forks this JVM's arguments; {@link JmhRun} adds the Vector API module only where
 * they lack it. Surefire starts the test JVM with the module, so it must be seen here.
 */
class JmhRunTest {
  @Test
  void seesTheVectorModuleOfThisJvm() {
    assertTrue(JmhRun.hostHasVectorModule());
  }
}
