package dev.ringsweep.cluster;

import java.nio.file.Path;

/**
 * A stand-in for a test JVM that dies abruptly: starts a one-node cluster, prints {@value #READY}, then waits to be
 * killed. Used by {@link NodeLifecycleIT}.
 */
final class OrphanParentMain {

  static final String READY = "ORPHAN-PARENT-READY";

  private OrphanParentMain() {}

  /** Arguments: work directory, subnet, host index. */
  public static void main(String[] args) throws InterruptedException {
    LocalCluster.builder()
        .clusterName("orphan")
        .workDir(Path.of(args[0]))
        .subnet(Integer.parseInt(args[1]))
        .firstHostIndex(Integer.parseInt(args[2]))
        .heapMegabytes(512)
        .build()
        .start();
    System.out.println(READY);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
