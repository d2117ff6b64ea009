package dev.ringsweep.token;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/**
 * A node that holds a replica of a token range, as seen by the driver when the plan was made.
 *
 * <p>Plain data, so a plan can travel to Spark executors and be recorded for resume; it deliberately holds no
 * driver {@code Node}.
 *
 * @param hostId the node's host id, or {@code null} if the driver did not know it
 * @param endpoint the node's native-protocol address as {@code host:port}, e.g. {@code "127.0.0.1:9042"}
 * @param datacenter the node's datacenter, or {@code null} if unknown
 */
public record Replica(UUID hostId, String endpoint, String datacenter) implements Serializable {

  /** Validates that the endpoint is present. */
  public Replica {
    Objects.requireNonNull(endpoint, "endpoint");
    if (endpoint.isBlank()) {
      throw new IllegalArgumentException(String.format("Invalid replica endpoint: '%s' (must not be blank)", endpoint));
    }
  }

  @Override
  public String toString() {
    return datacenter == null ? endpoint : endpoint + "@" + datacenter;
  }
}
