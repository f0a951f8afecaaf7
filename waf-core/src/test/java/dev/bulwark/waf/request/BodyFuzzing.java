package dev.bulwark.waf.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every body parser promises on any input, checked by the {@code *FuzzTest} classes of this
 * package: {@link BodyParser#parse} returns (never throws), no parser exception reached its
 * backstop, and the output stays within the {@link BodyLimits}. Test helper.
 */
final class BodyFuzzing {

    /** Small bounds, so that fuzzing reaches every limit path. */
    static final BodyLimits SMALL = new BodyLimits(8, 4, 4, 16);

    private BodyFuzzing() {
    }

    /** Parses {@code body} with the defaults and with {@link #SMALL}, checking both results. */
    static void parseBoth(BodyProcessor processor, String contentType, byte[] body, int offset) {
        for (BodyLimits limits : new BodyLimits[] {BodyLimits.defaults(), SMALL}) {
            ParsedBody p = BodyParser.parse(processor, contentType, body, offset, body.length - offset, limits);
            check(p, processor, limits);
        }
    }

    static void check(ParsedBody p, BodyProcessor processor, BodyLimits limits) {
        assertNotNull(p);
        assertEquals(processor, p.processor());
        String error = p.error();
        // The backstop in BodyParser turns a parser exception into this message: a bug.
        assertNotEquals(processor + ": internal parser error", error);
        assertTrue(p.args().size() + p.xml().size() <= limits.maxArgs(), () -> "more values than maxArgs: " + p);
        for (Arg a : p.args()) {
            assertTrue(a.name().length() <= limits.maxNameLength(), () -> "name longer than maxNameLength: " + a.name().length());
        }
        for (Arg a : p.xml()) {
            assertTrue(a.name().length() <= limits.maxNameLength(), () -> "name longer than maxNameLength: " + a.name().length());
        }
        if (processor != BodyProcessor.MULTIPART) {
            assertTrue(p.files().isEmpty() && p.partHeaders().isEmpty() && p.multipartFlags().isEmpty(), p::toString);
        }
        if (processor != BodyProcessor.XML) {
            assertTrue(p.xml().isEmpty() && !p.hasDoctype(), p::toString);
        }
    }
}
