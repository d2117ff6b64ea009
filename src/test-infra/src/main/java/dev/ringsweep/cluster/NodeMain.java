package dev.ringsweep.cluster;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Entry point of a local Cassandra node's JVM: watches the launching JVM and delegates to
 * {@code org.apache.cassandra.service.CassandraDaemon}.
 *
 * <p>Internal to the launcher, public only so that the {@code java} launcher can run it. It halts the node as soon
 * as the parent JVM (system property {@value #PARENT_PID_PROPERTY}) is gone, so that a test run killed with
 * {@code kill -9} never leaves a server behind. It uses the JDK only and no nested or anonymous classes: the
 * launcher copies this single class file onto the node's classpath.
 */
public final class NodeMain {

  /** System property holding the process id of the JVM that launched the node. */
  public static final String PARENT_PID_PROPERTY = "ringsweep.parent.pid";

  private static final String DAEMON = "org.apache.cassandra.service.CassandraDaemon";
  private static final long POLL_MILLIS = 1000;

  private NodeMain() {}

  /**
   * Starts the parent watchdog, then runs the Cassandra daemon with {@code args}.
   *
   * @param args passed on to {@code CassandraDaemon.main}
   * @throws Exception if the daemon class cannot be found or its {@code main} fails
   */
  public static void main(String[] args) throws Exception {
    String parentPid = System.getProperty(PARENT_PID_PROPERTY);
    if (parentPid != null) {
      Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(parentPid.trim()));
      if (parent.isEmpty() || !parent.get().isAlive()) {
        System.err.println("ringsweep: parent process " + parentPid + " is gone; not starting the node");
        Runtime.getRuntime().halt(3);
      }
      ProcessHandle handle = parent.get();
      Thread watchdog = new Thread(() -> watch(handle), "ringsweep-parent-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }
    Method main = Class.forName(DAEMON).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw (Error) cause;
    }
  }

  private static void watch(ProcessHandle parent) {
    while (parent.isAlive()) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    System.err.println("ringsweep: parent process " + parent.pid() + " exited; halting the node");
    Runtime.getRuntime().halt(3);
  }
}
