package dev.bulwark.waf.differential;

import java.text.Normalizer;
import java.util.Locale;

/**
 * What a case smuggles and how to recognise it in what the application saw. A value probe (an
 * attack string) counts wherever it appears, after the NFKC normalisation and lower-casing an
 * application may apply; a path probe (a restricted file) counts only in the path the container
 * resolved, since a raw URI that merely contains it is not a request for it.
 */
sealed interface Probe {

    boolean foundIn(AppView.Seen seen);

    /** Short text for case names and reports. */
    String label();

    static Probe value(String needle) {
        return new Value(needle);
    }

    static Probe path(String path) {
        return new Path(path);
    }

    static String normalise(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    static String shorten(String s) {
        String t = s.replace("\r", "\\r").replace("\n", "\\n");
        return t.length() > 60 ? t.substring(0, 57) + "..." : t;
    }

    record Value(String needle) implements Probe {
        @Override
        public boolean foundIn(AppView.Seen seen) {
            return normalise(seen.value()).contains(normalise(needle));
        }

        @Override
        public String label() {
            return needle;
        }
    }

    record Path(String path) implements Probe {
        @Override
        public boolean foundIn(AppView.Seen seen) {
            return seen.where().equals("path") && seen.value().toLowerCase(Locale.ROOT).contains(path.toLowerCase(Locale.ROOT));
        }

        @Override
        public String label() {
            return "path " + path;
        }
    }
}
