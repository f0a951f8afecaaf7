package dev.bulwark.waf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code limits.maxInFlightBodyBytes}: its default, the configuration key and its validation. */
class InFlightBodyLimitTest {

    @Test
    void defaultIsAQuarterOfTheHeapAtMost256MiB() {
        long d = Limits.defaults().maxInFlightBodyBytes();
        assertTrue(d <= 256L << 20, "at most 256 MiB: " + d);
        assertTrue(d <= Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 4), "at most a quarter of the heap: " + d);
        assertEquals(d, new Limits(1 << 20, 1 << 10, 1 << 10, 10, 10, 10, 10, Limits.BodyLimitAction.REJECT)
                .maxInFlightBodyBytes(), "the short constructor keeps the default");
    }

    @Test
    void configKeyIsReadAndKeptByTheWithers(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("r.yaml"), "rules:\n  - {id: 1, phase: 1, targets: [ARGS], operator: '@contains x', action: deny}\n");
        Files.writeString(dir.resolve("c.yaml"), "limits: {maxInFlightBodyBytes: 5000000000, maxRequestBodyBytes: 4096}\n"
                + "rules: {bundled: false, files: [r.yaml]}\n");
        Waf w = Waf.builder().serviceLoader(false).config(dir.resolve("c.yaml")).build();
        assertEquals(5_000_000_000L, w.limits().maxInFlightBodyBytes());
        assertEquals(5_000_000_000L, w.limits().withOnBodyLimit(Limits.BodyLimitAction.INSPECT_PARTIAL)
                .withMaxRequestBodyBytes(100).withMaxInspectedBodyBytes(10).maxInFlightBodyBytes());
        assertEquals(77, w.limits().withMaxInFlightBodyBytes(77).maxInFlightBodyBytes());
    }

    @Test
    void zeroOrNegativeIsAConfigError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("c.yaml"), "limits: {maxInFlightBodyBytes: 0}\n");
        WafConfigException e = assertThrows(WafConfigException.class,
                () -> Waf.builder().serviceLoader(false).config(dir.resolve("c.yaml")).build());
        assertTrue(e.getMessage().contains("maxInFlightBodyBytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withMaxInFlightBodyBytes(-1));
    }
}
