/**
 * Token ranges and their split plan: discover the ring ({@link dev.ringsweep.token.TokenRangeSource}), split it
 * into pieces grouped by replica set ({@link dev.ringsweep.token.TokenRangeSplitter},
 * {@link dev.ringsweep.token.RangePlan}), and track which tokens are done for resume
 * ({@link dev.ringsweep.token.TokenCoverage}). Murmur3 tokens only; ranges are start-exclusive, end-inclusive.
 */
package dev.ringsweep.token;
