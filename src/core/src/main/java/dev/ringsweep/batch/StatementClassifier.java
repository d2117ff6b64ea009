package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells what a statement is, from its CQL text and the schema: a plain write (INSERT, UPDATE, DELETE), a counter
 * update, or something that cannot go in a batch (a read, a conditional write, DDL, a batch of its own). Results are
 * cached by keyspace and query text, except when the schema did not know the table yet.
 */
final class StatementClassifier {

  /** What a statement is, for a {@link BatchWriter}. */
  enum Kind {
    WRITE,
    COUNTER_WRITE,
    NOT_BATCHABLE
  }

  /** Answers whether a table is a counter table; empty when the schema does not know the table. */
  @FunctionalInterface
  interface CounterTables {
    Optional<Boolean> isCounterTable(CqlIdentifier keyspace, CqlIdentifier table);
  }

  private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|\\w+)";
  private static final Pattern FIRST_WORD = Pattern.compile("^\\s*(\\w+)");
  private static final Pattern TARGET = Pattern.compile(
      "^\\s*(?:INSERT\\s+INTO|UPDATE|DELETE\\b.*?\\bFROM)\\s+(" + NAME + ")(?:\\s*\\.\\s*(" + NAME + "))?",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  /** A condition (lightweight transaction): IF, outside double quotes. */
  private static final Pattern CONDITION = Pattern.compile("(?<![\"\\w])IF(?![\"\\w])", Pattern.CASE_INSENSITIVE);
  /** {@code n = n + ...} or {@code n = n - ...}: how a counter update reads when the schema is unknown. */
  private static final Pattern COUNTER_SET = Pattern.compile(
      "\\bSET\\b.*?(" + NAME + ")\\s*=\\s*\\1\\s*[+-]", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private final CounterTables counterTables;
  private final CqlIdentifier sessionKeyspace;
  private final ConcurrentMap<String, Kind> cache = new ConcurrentHashMap<>();

  StatementClassifier(CounterTables counterTables, CqlIdentifier sessionKeyspace) {
    this.counterTables = counterTables;
    this.sessionKeyspace = sessionKeyspace;
  }

  Kind classify(BatchableStatement<?> statement) {
    String query;
    CqlIdentifier keyspace = statement.getKeyspace();
    CqlIdentifier table = null;
    if (statement instanceof BoundStatement) {
      BoundStatement bound = (BoundStatement) statement;
      query = bound.getPreparedStatement().getQuery();
      ColumnDefinitions variables = bound.getPreparedStatement().getVariableDefinitions();
      if (variables.size() > 0) {
        keyspace = variables.get(0).getKeyspace();
        table = variables.get(0).getTable();
      }
    } else if (statement instanceof SimpleStatement) {
      query = ((SimpleStatement) statement).getQuery();
    } else {
      return Kind.WRITE; // another implementation: nothing to read its text from; the server will judge
    }
    String cacheKey = keyspace + "\u0000" + query;
    Kind cached = cache.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    Classified classified = classify(query, keyspace, table);
    if (classified.cacheable) {
      cache.put(cacheKey, classified.kind);
    }
    return classified.kind;
  }

  /** The outcome of a classification, and whether it may be cached (the schema knew the table). */
  private static final class Classified {
    final Kind kind;
    final boolean cacheable;

    Classified(Kind kind, boolean cacheable) {
      this.kind = kind;
      this.cacheable = cacheable;
    }
  }

  private Classified classify(String query, CqlIdentifier keyspace, CqlIdentifier table) {
    Matcher first = FIRST_WORD.matcher(query);
    String verb = first.find() ? first.group(1).toUpperCase(Locale.ROOT) : "";
    if (!verb.equals("INSERT") && !verb.equals("UPDATE") && !verb.equals("DELETE")) {
      return new Classified(Kind.NOT_BATCHABLE, true);
    }
    if (CONDITION.matcher(withoutStringLiterals(query)).find()) {
      return new Classified(Kind.NOT_BATCHABLE, true);
    }
    if (table == null) {
      Matcher target = TARGET.matcher(query);
      if (target.find()) {
        if (target.group(2) != null) {
          keyspace = CqlIdentifier.fromCql(target.group(1));
          table = CqlIdentifier.fromCql(target.group(2));
        } else {
          table = CqlIdentifier.fromCql(target.group(1));
        }
      }
    }
    if (keyspace == null) {
      keyspace = sessionKeyspace;
    }
    Optional<Boolean> counter =
        keyspace == null || table == null ? Optional.empty() : counterTables.isCounterTable(keyspace, table);
    if (counter.isPresent()) {
      return new Classified(counter.get() ? Kind.COUNTER_WRITE : Kind.WRITE, true);
    }
    boolean looksLikeCounter = verb.equals("UPDATE") && COUNTER_SET.matcher(query).find();
    return new Classified(looksLikeCounter ? Kind.COUNTER_WRITE : Kind.WRITE, false);
  }

  /** The query with the contents of its '...' string literals blanked, so that words inside them are not seen. */
  static String withoutStringLiterals(String query) {
    return query.replaceAll("'(?:[^']|'')*'", "''");
  }
}
