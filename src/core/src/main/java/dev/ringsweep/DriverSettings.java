package dev.ringsweep;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import java.time.Duration;

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

  /** The driver's default timer tick ({@code advanced.netty.timer.tick-duration}). */
  public static final Duration DEFAULT_TIMER_TICK = Duration.ofMillis(100);

  /** The shortest timer tick {@link #timerTick} gives, however short the timeout. */
  public static final Duration MIN_TIMER_TICK = Duration.ofMillis(10);

  private DriverSettings() {}

  /**
   * Sets the request timeout to {@code timeout} and the driver's timer tick to {@link #timerTick timerTick(timeout)},
   * so that a short timeout fires when it is due.
   *
   * @return {@code config}, for chaining
   * @throws IllegalArgumentException naming a timeout that is not more than 0, or longer than
   *     {@link OperatorOptions#MAX_REQUEST_TIMEOUT} (the driver takes a timeout of 0 as none at all)
   */
  public static ProgrammaticDriverConfigLoaderBuilder requestTimeout(ProgrammaticDriverConfigLoaderBuilder config,
      Duration timeout) {
    OperatorOptions.positive("request timeout", timeout);
    OperatorOptions.atMost("request timeout", timeout, OperatorOptions.MAX_REQUEST_TIMEOUT);
    return config.withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
        .withDuration(DefaultDriverOption.NETTY_TIMER_TICK_DURATION, timerTick(timeout));
  }

  /**
   * The driver's timer tick for requests that time out after {@code timeout}. The driver fires a request timeout at
   * the first tick of its timer after the timeout is due, and ticks every 100 ms by default, so a 30 ms timeout fires
   * 30 to 130 ms after the request was sent. A timeout under a second gets a tick of a tenth of it (at least
   * {@link #MIN_TIMER_TICK}), so that it fires within a tenth of when it is due; longer timeouts keep the default.
   */
  public static Duration timerTick(Duration timeout) {
    Duration tenth = timeout.dividedBy(10);
    if (tenth.compareTo(DEFAULT_TIMER_TICK) >= 0) {
      return DEFAULT_TIMER_TICK;
    }
    return tenth.compareTo(MIN_TIMER_TICK) < 0 ? MIN_TIMER_TICK : tenth;
  }

  /**
   * What to tell a caller whose session ticks every {@code tick} about a request timeout of {@code timeout}: null when
   * the tick is no longer than {@link #timerTick timerTick(timeout)}, else that timeouts may fire up to a tick late.
   */
  static String lateTimeoutWarning(Duration tick, Duration timeout) {
    Duration wanted = timerTick(timeout);
    if (tick.compareTo(wanted) <= 0) {
      return null;
    }
    return String.format("Request timeout %d ms: the session's driver looks for timed-out requests every %d ms "
        + "(advanced.netty.timer.tick-duration), so a request may time out up to %d ms late; a tick of %d ms "
        + "(DriverSettings.requestTimeout sets it) would keep it within a tenth", timeout.toMillis(), tick.toMillis(),
        tick.toMillis(), wanted.toMillis());
  }

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

  /**
   * TLS with the driver's {@code DefaultSslEngineFactory}: trust the certificates of {@code trustStorePath} (or the
   * JVM's default trust when null) and, with a {@code keyStorePath}, present its client certificate. Stores are JKS or
   * PKCS12 files; the caller checks that they exist. The passwords go to the driver's configuration only: never log
   * the configuration built from it.
   *
   * @param trustStorePath the trust store, or null
   * @param trustStorePassword its password, or null
   * @param keyStorePath the key store with the client certificate, or null
   * @param keyStorePassword its password, or null
   * @param hostnameValidation whether the server's certificate must name the host it was reached at
   * @return {@code config}, for chaining
   * @throws IllegalArgumentException naming a blank store path, a password without its store, or a key store without
   *     its password
   */
  public static ProgrammaticDriverConfigLoaderBuilder tls(ProgrammaticDriverConfigLoaderBuilder config,
      String trustStorePath, String trustStorePassword, String keyStorePath, String keyStorePassword,
      boolean hostnameValidation) {
    checkTls(trustStorePath, trustStorePassword, keyStorePath, keyStorePassword);
    config.withString(DefaultDriverOption.SSL_ENGINE_FACTORY_CLASS, "DefaultSslEngineFactory")
        .withBoolean(DefaultDriverOption.SSL_HOSTNAME_VALIDATION, hostnameValidation);
    if (trustStorePath != null) {
      config.withString(DefaultDriverOption.SSL_TRUSTSTORE_PATH, trustStorePath);
      if (trustStorePassword != null) {
        config.withString(DefaultDriverOption.SSL_TRUSTSTORE_PASSWORD, trustStorePassword);
      }
    }
    if (keyStorePath != null) {
      config.withString(DefaultDriverOption.SSL_KEYSTORE_PATH, keyStorePath);
      if (keyStorePassword != null) {
        config.withString(DefaultDriverOption.SSL_KEYSTORE_PASSWORD, keyStorePassword);
      }
    }
    return config;
  }

  /**
   * Refuses TLS settings the driver could not use: a blank store path, a password without its store, a key store
   * without its password. Passwords are never shown, only whether they were given.
   * {@link #tls} checks with it, and so do the Spark module's TLS settings, on the Spark driver.
   *
   * @throws IllegalArgumentException naming the setting and what would be valid
   */
  public static void checkTls(String trustStorePath, String trustStorePassword, String keyStorePath,
      String keyStorePassword) {
    store("trust store", trustStorePath, trustStorePassword);
    store("key store", keyStorePath, keyStorePassword);
    if (keyStorePath != null && keyStorePassword == null) {
      throw new IllegalArgumentException(String.format("Missing TLS setting: the password of key store %s (a key "
          + "store's client key cannot be read without it)", keyStorePath));
    }
  }

  private static void store(String what, String path, String password) {
    if (path != null && path.isBlank()) {
      throw new IllegalArgumentException(String.format("Invalid TLS setting: %s path '%s' (must not be blank)", what,
          path));
    }
    if (path == null && password != null) {
      throw new IllegalArgumentException(String.format("Invalid TLS setting: a %s password without a %s path (give "
          + "both, or neither)", what, what));
    }
  }
}
