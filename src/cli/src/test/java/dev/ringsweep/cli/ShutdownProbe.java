package dev.ringsweep.cli;

/**
 * Run in a JVM of its own by {@link ShuttingDownTest}: prints what {@link Main#shuttingDown()} says while the JVM
 * runs, and again from a shutdown hook while the JVM exits.
 */
final class ShutdownProbe {

  private ShutdownProbe() {}

  public static void main(String[] args) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("in a hook: " + Main.shuttingDown())));
    System.out.println("running: " + Main.shuttingDown());
    System.exit(0);
  }
}
