package dev.ringsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contact point that is not Cassandra (a wrong port): the command line says so in one line on standard error,
 * with no stack trace from the driver or netty. The "wrong port" is a loopback server that answers like a web
 * server; the command runs in its own JVM, as a user runs it, so that what its logging prints is seen too.
 */
class WrongPortTest {

  private ServerSocket server;

  @BeforeEach
  void startAWebServerLookalike() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread answering = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket client = server.accept()) {
          client.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          client.getOutputStream().flush();
          Thread.sleep(100);
        } catch (IOException | InterruptedException e) {
          return;
        }
      }
    }, "web-server-lookalike");
    answering.setDaemon(true);
    answering.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void should_say_in_one_line_that_a_contact_point_is_not_cassandra(@TempDir Path dir) throws Exception {
    String point = InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getLocalPort();
    Path stderr = dir.resolve("stderr.txt");
    Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "count", "-c", point, "-k", "ks", "-t", "t", "--timeout", "5s")
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(stderr.toFile())
        .start();
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the command finished").isTrue();
    List<String> lines = Files.readAllLines(stderr);
    assertThat(lines).as(String.join("\n", lines)).hasSize(1);
    assertThat(lines.get(0)).startsWith("ringsweep: Cannot connect to /" + point + " (")
        .contains("each contact point must be the native-protocol address of a Cassandra node (port 9042 by "
            + "default)");
    assertThat(process.exitValue()).isEqualTo(1);
  }
}
