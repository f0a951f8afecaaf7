package dev.bulwark.waf.match;

import dev.bulwark.waf.internal.Ascii;

import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.OperatorSupport;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A set of IPv4/IPv6 addresses and CIDR ranges for {@code @ipMatch} and
 * {@code @ipMatchFromFile}. Addresses are parsed by hand (never through DNS). Lookup costs one
 * hash probe per distinct prefix length in the set, independent of the number of entries.
 *
 * <p>Normalisation: an IPv6 zone ({@code %eth0}) and surrounding brackets are ignored; an
 * IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}), in the input or in the set, is treated as
 * the IPv4 address, so dual-stack sockets match IPv4 lists. Host bits of a network are ignored
 * ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). Immutable and thread-safe.
 */
final class IpSet {

    private final Set<Long> v4;
    private final Set<V6> v6;
    /** Distinct prefix lengths present, longest first. */
    private final int[] v4PrefixArray;
    private final int[] v6PrefixArray;

    /** A masked IPv6 network: 128 bits and the prefix length. */
    private record V6(long hi, long lo, int prefix) {
    }

    private IpSet(Builder b) {
        this.v4 = Set.copyOf(b.v4);
        this.v6 = Set.copyOf(b.v6);
        this.v4PrefixArray = b.v4Prefixes.descendingSet().stream().mapToInt(Integer::intValue).toArray();
        this.v6PrefixArray = b.v6Prefixes.descendingSet().stream().mapToInt(Integer::intValue).toArray();
    }

    static Operator operator(IpSet set) {
        return (input, ctx) -> set.contains(input);
    }

    /**
     * Parses a list separated by commas and/or whitespace.
     *
     * @throws IllegalArgumentException naming the first invalid entry, or for an empty list
     */
    static IpSet parseList(String argument) {
        Builder set = new Builder();
        String s = argument == null ? "" : argument;
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSeparator(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSeparator(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                set.add(s.substring(start, i), null);
            }
        }
        return set.finish("@ipMatch: no address given");
    }

    /** {@code @ipMatchFromFile}: one address or range per line of a data file. */
    static Operator fromFile(String argument, OperatorSupport support) {
        String name = argument == null ? "" : argument.trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("@ipMatchFromFile: no file name given");
        }
        List<String> lines;
        try {
            lines = support.readDataFile(name);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "@ipMatchFromFile: cannot read " + name + ": " + e.getMessage(), e);
        }
        Builder set = new Builder();
        for (String line : lines) {
            String entry = line.trim();
            if (!entry.isEmpty() && entry.charAt(0) != '#') {
                set.add(entry, name);
            }
        }
        return operator(set.finish("@ipMatchFromFile: " + name + " holds no address"));
    }

    private static boolean isSeparator(char c) {
        return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** Collects entries while parsing; {@link #finish} freezes them into an {@link IpSet}. */
    private static final class Builder {
        private final Set<Long> v4 = new HashSet<>();
        private final TreeSet<Integer> v4Prefixes = new TreeSet<>();
        private final Set<V6> v6 = new HashSet<>();
        private final TreeSet<Integer> v6Prefixes = new TreeSet<>();

        IpSet finish(String emptyMessage) {
            if (v4.isEmpty() && v6.isEmpty()) {
                throw new IllegalArgumentException(emptyMessage);
            }
            return new IpSet(this);
        }

        void add(String entry, String file) {
            String where = file == null ? "" : " in " + file;
            int slash = entry.indexOf('/');
            String addr = slash < 0 ? entry : entry.substring(0, slash);
            long[] a = parse(addr);
            if (a == null) {
                throw new IllegalArgumentException(
                        "@ipMatch: invalid IP address '" + entry + "'" + where);
            }
            boolean isV4 = a.length == 1;
            int max = isV4 ? 32 : 128;
            int prefix = max;
            if (slash >= 0) {
                prefix = parsePrefix(entry, slash + 1, max);
                if (prefix < 0) {
                    throw new IllegalArgumentException("@ipMatch: invalid prefix length in '" + entry
                            + "' (0.." + max + " expected)" + where);
                }
            }
            if (!isV4 && prefix >= 96 && isV4Mapped(a[0], a[1])) {
                // ::ffff:a.b.c.d/n is the IPv4 network a.b.c.d/(n-96).
                a = new long[] {a[1] & 0xFFFF_FFFFL};
                prefix -= 96;
                isV4 = true;
            }
            if (isV4) {
                v4.add(key4(a[0], prefix));
                v4Prefixes.add(prefix);
            } else {
                v6.add(key6(a[0], a[1], prefix));
                v6Prefixes.add(prefix);
            }
        }
    }

    private static int parsePrefix(String s, int from, int max) {
        int n = s.length();
        if (from >= n || n - from > 3) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    /** Whether {@code input}, an address, lies in the set; anything else is simply no match. */
    boolean contains(String input) {
        long[] a = parse(stripInput(input));
        if (a == null) {
            return false;
        }
        if (a.length == 1) {
            return contains4(a[0]);
        }
        // A mapped address also matches IPv4 entries, and IPv6 entries that cover it.
        if (isV4Mapped(a[0], a[1]) && contains4(a[1] & 0xFFFF_FFFFL)) {
            return true;
        }
        for (int p : v6PrefixArray) {
            if (v6.contains(key6(a[0], a[1], p))) {
                return true;
            }
        }
        return false;
    }

    private boolean contains4(long addr) {
        for (int p : v4PrefixArray) {
            if (v4.contains(key4(addr, p))) {
                return true;
            }
        }
        return false;
    }

    private static String stripInput(String input) {
        int from = 0;
        int to = input.length();
        while (from < to && input.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && input.charAt(to - 1) <= ' ') {
            to--;
        }
        if (to - from >= 2 && input.charAt(from) == '[' && input.charAt(to - 1) == ']') {
            from++;
            to--;
        }
        return input.substring(from, to);
    }

    private static long key4(long addr, int prefix) {
        long mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
        return ((long) prefix << 32) | (addr & mask);
    }

    private static V6 key6(long hi, long lo, int prefix) {
        long hiMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        long loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        return new V6(hi & hiMask, lo & loMask, prefix);
    }

    private static boolean isV4Mapped(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xFFFFL;
    }

    /**
     * Parses an IPv4 address (one element, the 32-bit value) or an IPv6 address (two elements,
     * high and low 64 bits; a zone suffix is ignored). Returns null when it is neither.
     */
    static long[] parse(String s) {
        if (s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            long v = parse4(s, 0, s.length());
            return v < 0 ? null : new long[] {v};
        }
        int zone = s.indexOf('%');
        return parse6(s, zone < 0 ? s.length() : zone);
    }

    /** Strict dotted quad: four decimal parts 0..255 without leading zeros; -1 if invalid. */
    static long parse4(String s, int from, int to) {
        long value = 0;
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int part = 0;
            while (i < to && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                part = part * 10 + (s.charAt(i) - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 3 || part > 255 || (len > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | part;
            parts++;
            if (i == to) {
                return parts == 4 ? value : -1;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return -1;
            }
            i++;
        }
    }

    private static long[] parse6(String s, int to) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1; // index in groups where "::" stands
        int i = 0;
        if (to >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
            gap = 0;
            i = 2;
            if (i == to) {
                return toLongs(groups);
            }
        } else if (to > 0 && s.charAt(0) == ':') {
            return null;
        }
        while (i < to) {
            int start = i;
            int v = 0;
            while (i < to && i - start < 5 && hex(s.charAt(i)) >= 0) {
                v = (v << 4) | hex(s.charAt(i));
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                // Embedded IPv4 in the last 32 bits.
                if (count > 6) {
                    return null;
                }
                long v4 = parse4(s, start, to);
                if (v4 < 0) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = to;
                break;
            }
            int len = i - start;
            if (len == 0 || len > 4 || count == 8) {
                return null;
            }
            groups[count++] = v;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return null; // trailing single colon
            }
        }
        if (gap < 0) {
            return count == 8 ? toLongs(groups) : null;
        }
        if (count > 7) {
            return null;
        }
        int[] full = new int[8];
        System.arraycopy(groups, 0, full, 0, gap);
        int tail = count - gap;
        System.arraycopy(groups, gap, full, 8 - tail, tail);
        return toLongs(full);
    }

    private static long[] toLongs(int[] g) {
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) {
            hi = (hi << 16) | g[k];
            lo = (lo << 16) | g[k + 4];
        }
        return new long[] {hi, lo};
    }

    private static int hex(char c) {
        return Ascii.hexValue(c);
    }
}
