package dev.bulwark.waf.match.prefilter;

/**
 * A rough model of how often a literal occurs in benign request values, used to choose which
 * atoms trigger a regex. Length alone is a poor guide: {@code "|"} is far rarer in form fields
 * and headers than {@code "sh"} or {@code "cat"}. Each folded character gets a per-position
 * probability (letters by English frequency, digits, whitespace and URL punctuation common,
 * shell and markup metacharacters rare) and an atom the product over its characters.
 *
 * <p>Only the ranking matters, and only for speed: any trigger set is correct.
 */
final class AtomRarity {

    private static final double[] ASCII = new double[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = c < 0x20 || c == 0x7f ? 0.0002 : 0.001;
        }
        // English letter frequencies (per letter), scaled by the share of letters in values.
        String letters = "etaoinshrdlcumwfgypbvkjxqz";
        double[] freq = {12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0,
            2.0, 1.9, 1.5, 1.0, 0.8, 0.15, 0.15, 0.1, 0.07};
        for (int i = 0; i < letters.length(); i++) {
            ASCII[letters.charAt(i)] = freq[i] / 100 * 0.7;
        }
        for (char c = '0'; c <= '9'; c++) {
            ASCII[c] = 0.01;
        }
        ASCII[' '] = 0.08;
        for (char c : "/.-_,:=".toCharArray()) {
            ASCII[c] = 0.01;
        }
        for (char c : "()&+%;@?#".toCharArray()) {
            ASCII[c] = 0.003;
        }
        for (char c : "\t\n\r".toCharArray()) {
            ASCII[c] = 0.002;
        }
        // Shell, markup and template metacharacters: rare in benign values (0.001 default).
    }

    private AtomRarity() {
    }

    /** Estimated probability that the (folded) atom starts at a given position of a benign value. */
    static double probability(String atom) {
        double p = 1;
        for (int i = 0; i < atom.length(); i++) {
            char c = atom.charAt(i);
            p *= c < 128 ? ASCII[c] : 0.002;
        }
        return p;
    }
}
