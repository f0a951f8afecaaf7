package dev.bulwark.waf.internal;

import dev.bulwark.waf.WafConfigException;

import java.util.ArrayList;
import java.util.List;

/** A set of rule ids given as single ids and inclusive ranges ({@code 942100-942199}). Immutable. */
final class IdSet {

    static final IdSet EMPTY = new IdSet(new long[0]);

    /** Pairs of [from, to]. */
    private final long[] ranges;

    private IdSet(long[] ranges) {
        this.ranges = ranges;
    }

    static IdSet parse(List<String> specs) {
        List<long[]> rs = new ArrayList<>();
        for (String spec : specs) {
            for (String part : Text.split(spec, " ,")) {
                rs.add(range(part));
            }
        }
        long[] flat = new long[rs.size() * 2];
        for (int i = 0; i < rs.size(); i++) {
            flat[2 * i] = rs.get(i)[0];
            flat[2 * i + 1] = rs.get(i)[1];
        }
        return new IdSet(flat);
    }

    IdSet with(String spec) {
        List<String> parts = Text.split(spec, " ,");
        long[] flat = java.util.Arrays.copyOf(ranges, ranges.length + parts.size() * 2);
        int k = ranges.length;
        for (String p : parts) {
            long[] r = range(p);
            flat[k++] = r[0];
            flat[k++] = r[1];
        }
        return new IdSet(flat);
    }

    private static long[] range(String part) {
        try {
            int dash = part.indexOf('-', 1);
            if (dash < 0) {
                long id = Long.parseLong(part.trim());
                return new long[] {id, id};
            }
            long from = Long.parseLong(part.substring(0, dash).trim());
            long to = Long.parseLong(part.substring(dash + 1).trim());
            if (to < from) {
                throw new WafConfigException(null, null, "removeById", "empty id range '" + part + "'");
            }
            return new long[] {from, to};
        } catch (NumberFormatException e) {
            throw new WafConfigException(null, null, "removeById", "not a rule id or id range: '" + part + "'");
        }
    }

    boolean isEmpty() {
        return ranges.length == 0;
    }

    boolean contains(long id) {
        for (int i = 0; i < ranges.length; i += 2) {
            if (id >= ranges[i] && id <= ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }
}
