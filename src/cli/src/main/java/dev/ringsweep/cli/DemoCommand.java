package dev.ringsweep.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ringsweep demo}: the main job, on its own embedded node, or with {@code --external-cluster} on the cluster
 * of {@code --contact-points}, where it creates the keyspace {@value DemoJob#KEYSPACE} (or reuses one an earlier demo
 * created), refuses one it did not create, and drops only the tables it created in the same run.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The main job: load a sample table, count, export to Iceberg, import, verify.",
        "On an embedded single-node Cassandra of its own, unless --external-cluster is given."})
final class DemoCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--external-cluster", description = "Run on the cluster of --contact-points (or "
      + "RINGSWEEP_CONTACT_POINTS) instead of an embedded node: creates the keyspace " + DemoJob.KEYSPACE
      + " there (refusing an existing one that the demo did not create), and tables named per run that it drops at "
      + "the end.")
  private boolean external;

  @Mixin
  private DemoOptions demo;

  @Mixin
  private ConnectionOptions connection;

  @Mixin
  private OperatorOptions operatorOptions;

  @Mixin
  private DisplayOptions display;

  @Override
  public Integer call() {
    if (!external && connection.contactPointsGiven()) {
      throw new ParameterException(spec.commandLine(), "The demo runs on an embedded node of its own and writes "
          + "nothing elsewhere; to run it on the cluster of --contact-points, add --external-cluster");
    }
    if (external && connection.contactPoints().isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "Missing contact points: --external-cluster needs --contact-points HOST[:PORT],... "
              + "(or RINGSWEEP_CONTACT_POINTS)");
    }
    return new DemoJob(external ? connection : null, operatorOptions, display.bars(), demo.rows(),
        demo.exportDir(), spec.commandLine().getOut()).run();
  }
}
