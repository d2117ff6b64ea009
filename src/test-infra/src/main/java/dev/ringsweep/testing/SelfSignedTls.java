package dev.ringsweep.testing;

import com.datastax.oss.driver.api.core.metadata.EndPoint;
import com.datastax.oss.driver.api.core.ssl.SslEngineFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed TLS identity for a test Cassandra node, made with the JDK's {@code keytool}: a JKS keystore holding
 * the node's key pair and certificate (subject alternative name: the node's IP address), and a PKCS12 truststore
 * holding only that certificate, for clients.
 *
 * @param keystore the node's keystore (JKS)
 * @param truststore the clients' truststore (PKCS12)
 * @param password the password of both stores
 */
public record SelfSignedTls(Path keystore, Path truststore, String password) {

  private static final String ALIAS = "node";

  /** Generates the stores in {@code directory} for a node at {@code address}. */
  public static SelfSignedTls generate(Path directory, InetAddress address, String password) {
    Path keystore = directory.resolve("node-keystore.jks");
    Path certificate = directory.resolve("node.crt");
    Path truststore = directory.resolve("client-truststore.p12");
    try {
      Files.createDirectories(directory);
      Files.deleteIfExists(keystore);
      keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
          "-dname", "CN=" + address.getHostAddress() + ", O=Ringsweep tests",
          "-ext", "SAN=ip:" + address.getHostAddress(),
          "-keystore", keystore.toString(), "-storetype", "JKS", "-storepass", password, "-keypass", password);
      keytool("-exportcert", "-alias", ALIAS, "-keystore", keystore.toString(), "-storepass", password,
          "-file", certificate.toString());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(certificate)) {
        Certificate cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        trust.setCertificateEntry(ALIAS, cert);
      }
      try (OutputStream out = Files.newOutputStream(truststore)) {
        trust.store(out, password.toCharArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot build the truststore", e);
    }
    return new SelfSignedTls(keystore, truststore, password);
  }

  /** The {@code client_encryption_options} of {@code cassandra.yaml} (flow style) requiring TLS with the keystore. */
  public String clientEncryptionOptions() {
    return "{enabled: true, optional: false, keystore: '" + keystore.toAbsolutePath() + "', keystore_password: '"
        + password + "', require_client_auth: false}";
  }

  /** An SSL context trusting only this node's certificate. */
  public SSLContext clientContext() {
    try (InputStream in = Files.newInputStream(truststore)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(in, password.toCharArray());
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot build the client SSL context", e);
    }
  }

  /**
   * A driver SSL engine factory over {@link #clientContext()} that also verifies the node's host name (here its IP
   * address) against the certificate, as HTTPS does.
   */
  public SslEngineFactory engineFactory() {
    SSLContext context = clientContext();
    return new SslEngineFactory() {
      @Override
      public SSLEngine newSslEngine(EndPoint remoteEndpoint) {
        SSLEngine engine;
        if (remoteEndpoint.resolve() instanceof InetSocketAddress address) {
          engine = context.createSSLEngine(address.getAddress().getHostAddress(), address.getPort());
        } else {
          engine = context.createSSLEngine();
        }
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
      }

      @Override
      public void close() {}
    };
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("Interrupted while running keytool", e);
    }
  }
}
