/**
 * JMH benchmarks of the engine: {@code ForwardBenchmark} (prefill and decode steps at the LongBEL-1B shape),
 * {@code DecodingStepBenchmark} (beam-search work outside the forward), {@code ColdStartBenchmark} (the first
 * {@code LongBel.sample} of a fresh JVM against the same call in a warm one), {@code TokenizerBenchmark} (against
 * Hugging Face's tokenizers through DJL) and {@code KbBenchmark} (trie cursor steps; its {@code main} reports
 * build and load at scale). Build the shaded jar with {@code ./mvn25 -B -q -DskipTests package}, then run one
 * with {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar <Name>}; each class's
 * Javadoc names the inputs it needs (e.g. {@code LONGBEL_BENCH_MODEL}, {@code -Dlongbel.bench.trie}), and
 * the README's Performance section gives the measured figures.
 */
package org.longbel.bench;
