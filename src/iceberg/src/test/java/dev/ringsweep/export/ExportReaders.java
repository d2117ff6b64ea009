package dev.ringsweep.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.internal.format.TextCodec;
import dev.ringsweep.internal.iceberg.IcebergCatalogs;
import dev.ringsweep.internal.iceberg.IcebergRowMapping;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/**
 * Reads exported output back into rows of driver Java values, each format with its own reader: Iceberg's generic
 * reader, a Parquet reader, commons-csv, Jackson.
 */
public final class ExportReaders {

  private ExportReaders() {}

  /** The rows of an Iceberg table in a warehouse's default catalog; empty if the table does not exist. */
  public static List<Object[]> iceberg(Path warehouse, String table, List<CqlColumn> columns) {
    IcebergTarget target = ExportTargets.iceberg(warehouse, table);
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(target)) {
      if (!opened.catalog().tableExists(TableIdentifier.parse(table))) {
        return List.of();
      }
      return iceberg(opened.catalog().loadTable(TableIdentifier.parse(table)), columns);
    }
  }

  public static List<Object[]> iceberg(Table table, List<CqlColumn> columns) {
    IcebergRowMapping mapping = IcebergRowMapping.of(columns);
    List<Object[]> out = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(r -> out.add(mapping.toCqlValues(r)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static List<Object[]> parquet(Path directory, List<CqlColumn> columns) {
    IcebergRowMapping mapping = IcebergRowMapping.of(columns);
    List<Object[]> out = new ArrayList<>();
    for (Path file : files(directory, ".parquet")) {
      try (CloseableIterable<Record> in =
          Parquet.read(org.apache.iceberg.Files.localInput(file.toFile()))
              .project(mapping.schema())
              .createReaderFunc(s -> GenericParquetReaders.buildReader(mapping.schema(), s))
              .build()) {
        in.forEach(r -> out.add(mapping.toCqlValues(r)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  public static List<Object[]> csv(Path directory, List<CqlColumn> columns) {
    CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
        .setQuoteMode(QuoteMode.ALL_NON_NULL).get();
    TextCodec[] codecs = columns.stream().map(c -> TextCodec.of(c.type())).toArray(TextCodec[]::new);
    List<Object[]> out = new ArrayList<>();
    for (Path file : files(directory, ".csv")) {
      try (Reader reader = new InputStreamReader(open(file), StandardCharsets.UTF_8);
          CSVParser parser = CSVParser.parse(reader, format)) {
        if (!parser.getHeaderNames().equals(columns.stream().map(CqlColumn::name).toList())) {
          throw new IllegalStateException("Unexpected CSV header " + parser.getHeaderNames());
        }
        for (CSVRecord record : parser) {
          Object[] row = new Object[columns.size()];
          for (int i = 0; i < row.length; i++) {
            String cell = record.get(i);
            row[i] = cell == null ? null : codecs[i].fromText(cell);
          }
          out.add(row);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  public static List<Object[]> jsonLines(Path directory, List<CqlColumn> columns) {
    ObjectMapper json = TextCodec.objectMapper();
    TextCodec[] codecs = columns.stream().map(c -> TextCodec.of(c.type())).toArray(TextCodec[]::new);
    List<Object[]> out = new ArrayList<>();
    for (Path file : files(directory, ".jsonl")) {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          JsonNode node = json.readTree(line);
          Object[] row = new Object[columns.size()];
          for (int i = 0; i < row.length; i++) {
            row[i] = codecs[i].read(node.get(columns.get(i).name()));
          }
          out.add(row);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    return file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
  }

  /** The data files of a directory target whose names contain {@code kind} ({@code .csv} matches .csv.gz). */
  public static List<Path> files(Path directory, String kind) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-")
          && p.getFileName().toString().contains(kind)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
