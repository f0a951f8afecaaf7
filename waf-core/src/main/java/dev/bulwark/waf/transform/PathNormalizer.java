package dev.bulwark.waf.transform;

/**
 * {@code normalizePath}/{@code normalizePathWin}: collapses repeated slashes, removes {@code .}
 * segments and resolves {@code ..} against the previous segment. A {@code ..} that would climb
 * above the root of an absolute path is dropped; in a relative path it is kept (there is nothing
 * to resolve it against). A trailing slash is kept, and a path ending in a removed {@code .}
 * or resolved {@code ..} segment ends with a slash. The Windows variant first turns backslashes into slashes.
 * Percent escapes are not decoded. Stateless; linear.
 */
final class PathNormalizer {

    private PathNormalizer() {
    }

    static String normalize(String s, boolean windows) {
        boolean backslash = windows && s.indexOf('\\') >= 0;
        if (!backslash && s.indexOf('/') < 0) {
            // One segment (found by the vectorised indexOf): only "." and ".." change.
            return s.length() > 2 || !(s.equals(".") || s.equals("..")) ? s : normalizeFull(s, windows);
        }
        if (!backslash && isNormal(s)) {
            return s; // most values: no work and no copy
        }
        return normalizeFull(s, windows);
    }

    /** {@link #normalize} without its shortcut; for the tests that hold the two equal. */
    static String normalizeFull(String s, boolean windows) {
        String in = windows ? s.replace('\\', '/') : s;
        int n = in.length();
        if (n == 0) {
            return s;
        }
        boolean absolute = in.charAt(0) == '/';
        // Stack of kept segments as [start, end) ranges of the input.
        int[] starts = new int[n / 2 + 1];
        int[] ends = new int[n / 2 + 1];
        int depth = 0;
        int keptDotDots = 0; // leading ".." of a relative path: nothing to resolve them against
        boolean trailingSlash = false;
        int i = 0;
        while (i < n) {
            while (i < n && in.charAt(i) == '/') {
                i++;
            }
            if (i >= n) {
                trailingSlash = true;
                break;
            }
            int start = i;
            while (i < n && in.charAt(i) != '/') {
                i++;
            }
            int len = i - start;
            if (len == 1 && in.charAt(start) == '.') {
                trailingSlash = true;
            } else if (len == 2 && in.charAt(start) == '.' && in.charAt(start + 1) == '.') {
                if (depth > keptDotDots) {
                    depth--;
                    trailingSlash = true;
                } else if (!absolute) {
                    starts[depth] = start;
                    ends[depth++] = i;
                    keptDotDots++;
                    trailingSlash = false;
                } else {
                    trailingSlash = true;
                }
            } else {
                trailingSlash = false;
                starts[depth] = start;
                ends[depth++] = i;
            }
        }
        StringBuilder sb = new StringBuilder(n);
        if (absolute) {
            sb.append('/');
        }
        for (int k = 0; k < depth; k++) {
            if (k > 0) {
                sb.append('/');
            }
            sb.append(in, starts[k], ends[k]);
        }
        if (trailingSlash && depth > 0) {
            sb.append('/');
        }
        return Texts.orSame(s, sb);
    }

    /** True when normalizing cannot change {@code p}: no empty inner segment ("//"), no "." or ".." segment. */
    private static boolean isNormal(String p) {
        int n = p.length();
        int segStart = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || p.charAt(i) == '/') {
                int len = i - segStart;
                if (len == 0 && i > 0 && i < n) {
                    return false;
                }
                if (len == 1 && p.charAt(segStart) == '.'
                        || len == 2 && p.charAt(segStart) == '.' && p.charAt(segStart + 1) == '.') {
                    return false;
                }
                segStart = i + 1;
            }
        }
        return true;
    }
}
