package dev.ringsweep.internal.imports;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.token.Token;
import dev.ringsweep.token.DriverTokenMapSource;
import dev.ringsweep.token.TokenRange;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the ring's token range (with its replicas) that holds the partition a statement writes, so that an import
 * whose writes failed can name the token ranges concerned, as count and export do.
 */
final class FailedRanges {

  private static final Logger LOG = LoggerFactory.getLogger(FailedRanges.class);

  private FailedRanges() {}

  /**
   * A function from a statement to the vnode range holding its partition (null when the statement carries no
   * routing information), or null when the ring cannot be read (no token metadata, another partitioner).
   */
  static Function<BatchableStatement<?>, TokenRange> locator(CqlSession session, CqlIdentifier keyspace,
      String localDc) {
    TokenMap tokenMap = session.getMetadata().getTokenMap().orElse(null);
    if (tokenMap == null) {
      return null;
    }
    List<TokenRange> ring;
    try {
      ring = new DriverTokenMapSource().discover(session, keyspace, localDc);
    } catch (RuntimeException e) {
      LOG.debug("Cannot read the ring of {}; failed writes will not be located", keyspace, e);
      return null;
    }
    return statement -> {
      Token token = statement.getRoutingToken();
      if (token == null && statement.getRoutingKey() != null) {
        token = tokenMap.newToken(statement.getRoutingKey());
      }
      if (token == null) {
        return null;
      }
      long value = Long.parseLong(tokenMap.format(token));
      for (TokenRange range : ring) {
        if (range.contains(value)) {
          return range;
        }
      }
      return null;
    };
  }
}
