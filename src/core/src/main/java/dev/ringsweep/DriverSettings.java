package dev.ringsweep;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;

/**
 * Driver settings that Ringsweep's own sessions (the command line's, the Spark executors', the test clusters') use,
 * for a caller that builds its session programmatically and wants the same.
 *
 * <p>Ringsweep works on any {@code CqlSession}; nothing here is required.
 */
public final class DriverSettings {

  /**
   * The quiet period, in milliseconds, that each of the driver's event loop groups waits for new tasks when the
   * session closes. The driver's default is 2 s (Netty's), so closing a session takes at least 2 s even when it is
   * idle: every command line run and every Spark executor paid it at exit.
   */
  public static final int SHUTDOWN_QUIET_PERIOD_MILLIS = 100;

  private DriverSettings() {}

  /**
   * Sets a short quiet period ({@value #SHUTDOWN_QUIET_PERIOD_MILLIS} ms) for the driver's I/O and admin event loop
   * groups on close, instead of 2 s; the bound on the whole shutdown stays 15 s. Close the session only when no
   * request of yours is still running, as always.
   *
   * @return {@code config}, for chaining
   */
  public static ProgrammaticDriverConfigLoaderBuilder promptClose(ProgrammaticDriverConfigLoaderBuilder config) {
    return config
        .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, SHUTDOWN_QUIET_PERIOD_MILLIS)
        .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_TIMEOUT, 15_000)
        .withString(DefaultDriverOption.NETTY_IO_SHUTDOWN_UNIT, "MILLISECONDS")
        .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, SHUTDOWN_QUIET_PERIOD_MILLIS)
        .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_TIMEOUT, 15_000)
        .withString(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_UNIT, "MILLISECONDS");
  }
}
