package dev.ringsweep.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code ringsweep} command line, and the main job of {@code mvn -q test-compile exec:java}.
 *
 * <p>Without a subcommand it runs the main job ({@link DemoJob}) on an embedded single-node Cassandra of its own
 * (never on the cluster of {@code --contact-points}: that is {@code demo --external-cluster}): a sample table, a
 * count, an export and import, and a summary. With a subcommand ({@code count}) it works on a
 * user's own cluster. Exit codes: 0 on success, 1 when the work fails, 2 for a usage error; errors are printed as
 * one line on standard error.
 */
@Command(name = "ringsweep", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = Main.Version.class,
    subcommands = {CountCommand.class, ExportCommand.class, ImportCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class},
    description = {
      "Token-aware bulk operations on Apache Cassandra.",
      "",
      "Without a subcommand: the main job. It starts an embedded single-node Cassandra of its own (a child JVM "
          + "on 127.0.0.1; it never writes to another cluster: see 'demo --external-cluster'), loads a sample table "
          + "ringsweep_demo.events, counts it, exports it to an Iceberg table under --export-dir, imports that into "
          + "ringsweep_demo.events_copy, checks the copy value by value, and prints a summary."
    },
    footer = {"", "Run 'ringsweep COMMAND --help' for the options of a command."})
public final class Main implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private ConnectionOptions connection;

  @Mixin
  private OperatorOptions operatorOptions;

  @Mixin
  private DisplayOptions display;

  @Mixin
  private DemoOptions demo;

  private Main() {}

  /**
   * Runs the command line and exits with its exit code; when a signal (Ctrl-C, SIGTERM) stopped the command, the JVM
   * exits with the signal's own code instead (130, 143), as it was already doing when the command returned.
   */
  public static void main(String[] args) {
    quietLogging();
    PrintWriter out = new PrintWriter(System.out, true);
    int code = run(args, out, new PrintWriter(System.err, true));
    if (code == 0 && out.checkError()) {
      // The result line is the command's product (a count's only one): a full disk or a closed pipe must not pass.
      System.err.println("ringsweep: the result could not be written to standard output (a full disk or a closed "
          + "pipe?)");
      code = 1;
    }
    if (shuttingDown()) {
      // A signal is ending the JVM and its shutdown hooks let the command stop cleanly. Once the hooks are done, a
      // System.exit with a nonzero code halts the JVM at once with that code, racing the signal's own exit: an export
      // stopped by SIGTERM then sometimes exited 130 instead of 143. Returning lets the signal's exit finish.
      return;
    }
    System.exit(code);
  }

  /** Whether the JVM is shutting down: its shutdown hooks have started, and no hook can be added any more. */
  static boolean shuttingDown() {
    Thread probe = new Thread(() -> {}, "ringsweep-shutdown-probe");
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shutdownInProgress) {
      return true;
    }
  }

  /** Runs the command line with the given output streams and returns the exit code (for tests and embedding). */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, System::getenv);
  }

  /**
   * Runs the command line with the given output streams and returns the exit code, taking the passwords
   * ({@code RINGSWEEP_PASSWORD}, {@code RINGSWEEP_TRUSTSTORE_PASSWORD}, {@code RINGSWEEP_KEYSTORE_PASSWORD}) from
   * {@code environment} instead of the process's environment: for embedding and tests. Other options' defaults
   * ({@code RINGSWEEP_CONTACT_POINTS}, ...) still come from the process's environment.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, UnaryOperator<String> environment) {
    CommandLine commandLine = new CommandLine(new Main())
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionStrategy(Main::runLast)
        .setParameterExceptionHandler((e, arguments) -> {
          err.println("ringsweep: " + CliWords.translate(hidePasswordValues(e.getMessage(), args,
              arg -> e.getCommandLine().getCommandSpec().findOption(arg.contains("=")
                  ? arg.substring(0, arg.indexOf('=')) : arg) != null)));
          err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
          err.flush();
          return 2;
        })
        .setExecutionExceptionHandler((e, cmd, parseResult) -> {
          if (e instanceof ParameterException p) {
            return cmd.getParameterExceptionHandler().handleParseException(p, args);
          }
          err.println("ringsweep: " + CliWords.translate(oneLine(e)));
          err.flush();
          return 1;
        });
    passwordsFrom(commandLine, environment);
    return commandLine.execute(args);
  }

  /**
   * {@code message} with every value given to {@code -p} / {@code --password} (which takes none: it prompts) replaced
   * by {@code (hidden)}: a user who types {@code -p s3cret}, as cqlsh takes it, must not find the password in the
   * error (picocli quotes the argument it could not match), and is told where a password comes from.
   */
  static String hidePasswordValues(String message, String[] args, java.util.function.Predicate<String> isOption) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equals("-p") || arg.equals("--password")) && i + 1 < args.length && !isOption.test(args[i + 1])) {
        values.add(args[i + 1]);
      } else if (arg.startsWith("--password=")) {
        values.add(arg.substring("--password=".length()));
      } else if (arg.startsWith("-p=")) {
        values.add(arg.substring(3));
      } else if (arg.startsWith("-p") && !arg.startsWith("--") && arg.length() > 2) {
        values.add(arg.substring(2));
      }
    }
    String hidden = message;
    for (String value : values) {
      if (!value.isEmpty()) {
        // Any quoted argument that holds it: '-ps3cret' is reported as '-s3cret' too.
        hidden = hidden.replaceAll("'[^']*" + java.util.regex.Pattern.quote(value) + "[^']*'", "'(hidden)'");
      }
    }
    return hidden.equals(message) ? message : hidden + " (-p takes no value: it prompts for the password on the "
        + "terminal; or set RINGSWEEP_PASSWORD)";
  }

  /** Gives every command's connection options {@code environment} for the passwords. */
  private static void passwordsFrom(CommandLine commandLine, UnaryOperator<String> environment) {
    commandLine.getCommandSpec().mixins().values().forEach(mixin -> {
      if (mixin.userObject() instanceof ConnectionOptions connection) {
        connection.environment = environment;
      }
    });
    commandLine.getSubcommands().values().forEach(sub -> passwordsFrom(sub, environment));
  }

  /**
   * Runs the last subcommand, as picocli does, after refusing options given before a subcommand: they are the main
   * job's and would be silently ignored by the subcommand.
   */
  private static int runLast(CommandLine.ParseResult parseResult) {
    if (parseResult.hasSubcommand() && !parseResult.matchedOptions().isEmpty()) {
      CommandLine.ParseResult sub = parseResult.subcommand();
      String option = parseResult.matchedOptions().get(0).longestName();
      throw new ParameterException(parseResult.commandSpec().commandLine(), String.format(
          "Option '%s' goes after the subcommand: ringsweep %s %s …", option, sub.commandSpec().name(), option));
    }
    return new CommandLine.RunLast().execute(parseResult);
  }

  @Override
  public Integer call() {
    if (connection.contactPointsGiven()) {
      throw new ParameterException(spec.commandLine(), "The main job runs on an embedded node of its own and writes "
          + "nothing elsewhere; to run it on a cluster of yours, use 'ringsweep demo --external-cluster "
          + "--contact-points HOST' (it creates the keyspace " + DemoJob.KEYSPACE + " there)");
    }
    return new DemoJob(null, operatorOptions, display.bars(), demo.rows(), demo.exportDir(),
        spec.commandLine().getOut()).run();
  }

  /** The message of {@code e} (or of its first cause that has one) on one line. */
  static String oneLine(Throwable e) {
    Throwable t = e;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** The command line's log output: warnings only, unless configured otherwise ({@code org.slf4j.simpleLogger.*}). */
  private static void quietLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    if (System.getProperty("org.slf4j.simpleLogger.log.com.datastax.oss.driver") == null) {
      // The driver warns of every node it cannot reach; the command's own one-line error says it once.
      System.setProperty("org.slf4j.simpleLogger.log.com.datastax.oss.driver", "error");
    }
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader") == null) {
      // Hadoop warns on every run that it has no native library; Ringsweep uses none.
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader", "error");
    }
    if (System.getProperty("org.slf4j.simpleLogger.log.io.netty") == null) {
      // Netty warns with a stack trace when a contact point answers with something other than Cassandra's
      // protocol (a wrong port); the command's own one-line error names the contact point and the reason.
      System.setProperty("org.slf4j.simpleLogger.log.io.netty", "error");
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile",
        "System.err"));
  }

  /** The version from the jar's manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"ringsweep " + (version == null ? "(development build)" : version)};
    }
  }
}
