package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java examples of the README and of {@code docs/} compile against the current API, so that the docs cannot
 * drift from the code. Each {@code ```java} block becomes the body of a method; the names the examples use without
 * declaring them (a session, an operator, a logger, some rows) are fields of the class around it.
 */
class DocSnippetsTest {

  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  /** The imports and the undeclared names the examples rely on. */
  private static final String PRELUDE = """
      import com.datastax.oss.driver.api.core.*;
      import com.datastax.oss.driver.api.core.cql.*;
      import dev.ringsweep.*;
      import dev.ringsweep.batch.*;
      import dev.ringsweep.export.*;
      import dev.ringsweep.iceberg.*;
      import dev.ringsweep.imports.*;
      import dev.ringsweep.token.*;
      import java.net.InetSocketAddress;
      import java.nio.file.Path;
      import java.time.Duration;
      import java.util.List;

      abstract class %s {
        record Order(long id, String item, int qty) {}

        CqlSession session;
        TokenAwareBulkOperator operator;
        PreparedStatement insert;
        org.slf4j.Logger log;
        List<Order> orders;
        BoundStatement debit;
        BoundStatement credit;
        BoundStatement journalEntry;

        void example() throws Exception {
      %s
        }
      }
      """;

  /** The top of the checkout: the nearest folder above the working directory that holds README.md and docs/. */
  private static Path projectRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
    }
    throw new IllegalStateException("No README.md with a docs/ folder above " + Path.of("").toAbsolutePath());
  }

  static Stream<String> documents() {
    return Stream.of("README.md", "docs/export.md", "docs/import.md");
  }

  @ParameterizedTest
  @MethodSource("documents")
  void java_examples_compile(String document, @TempDir Path dir) throws IOException {
    String text = Files.readString(projectRoot().resolve(document), StandardCharsets.UTF_8);
    List<File> sources = new ArrayList<>();
    Matcher block = JAVA_BLOCK.matcher(text);
    while (block.find()) {
      String name = "Example" + sources.size();
      Path source = dir.resolve(name + ".java");
      Files.writeString(source, String.format(PRELUDE, name, block.group(1)), StandardCharsets.UTF_8);
      sources.add(source.toFile());
    }
    assertThat(sources).as("Java examples found in %s", document).isNotEmpty();
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    List<String> options = List.of("-d", dir.resolve("classes").toString(), "-classpath", classpath(),
        "-proc:none", "-Xlint:none");
    var fileManager = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8);
    boolean compiled = compiler.getTask(errors, fileManager, null, options, null,
        fileManager.getJavaFileObjectsFromFiles(sources)).call();
    assertThat(compiled).as("the Java examples of %s compile:%n%s", document, errors).isTrue();
  }

  /** The test class path: Surefire names it in a property when the JVM's own is a manifest-only jar. */
  private static String classpath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }
}
