package dev.ringsweep.cluster;

/** How the nodes of a {@link LocalCluster} authenticate and authorize clients. */
public enum Authentication {

  /** No authentication: {@code AllowAllAuthenticator} and {@code AllowAllAuthorizer} (Cassandra's defaults). */
  NONE,

  /**
   * {@code PasswordAuthenticator} with {@code CassandraAuthorizer}; the default superuser is {@code cassandra} with
   * password {@code cassandra}.
   */
  PASSWORD
}
