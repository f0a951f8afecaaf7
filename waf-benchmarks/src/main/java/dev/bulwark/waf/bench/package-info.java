/**
 * JMH benchmarks of the Bulwark engine and their fixtures.
 *
 * <p>{@link dev.bulwark.waf.bench.TransactionBenchmark} measures whole transactions over the
 * bundled rules; {@link dev.bulwark.waf.bench.RegexPrefilterBenchmark} measures the literal
 * prefilter against running every CRS {@code @rx} pattern. The package-private helpers build
 * deterministic request fixtures and read the CRS regexes in place. Benchmark state is created
 * once per trial and only read during measurement; nothing here is meant for production use.
 */
package dev.bulwark.waf.bench;
