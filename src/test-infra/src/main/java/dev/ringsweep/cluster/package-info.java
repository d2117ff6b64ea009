/**
 * A local Apache Cassandra cluster for tests and demos: real servers in child JVMs on loopback addresses.
 *
 * <p>Entry point: {@link dev.ringsweep.cluster.LocalCluster#builder()}. The server's classpath is resolved with
 * Maven apart from this project's ({@link dev.ringsweep.cluster.ServerClasspath}).
 */
package dev.ringsweep.cluster;
