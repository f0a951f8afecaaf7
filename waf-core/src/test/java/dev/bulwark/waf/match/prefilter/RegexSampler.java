package dev.bulwark.waf.match.prefilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random regexes over a small grammar together with samplers of strings they (usually) match,
 * with case variants from Unicode fold orbits for {@code (?i)}; the choices come from the given
 * {@link Random}, so a fuzzer can drive them. Test helper.
 */
final class RegexSampler {

    private static final String LETTERS = "abcks";
    private static final String[][] ORBITS = {
        {"a", "A"}, {"b", "B"}, {"c", "C"}, {"k", "K", "\u212a"}, {"s", "S", "\u017f"},
    };

    private final Random rnd;

    RegexSampler(Random rnd) {
        this.rnd = rnd;
    }

    /** A generated regex: its RE2 text and a sampler of strings it (usually) matches. */
    interface Gen {
        String regex();

        void sample(StringBuilder out, boolean ci);
    }

    void noise(StringBuilder sb) {
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            String noise = " xyz.-\n\u212aS";
            sb.append(noise.charAt(rnd.nextInt(noise.length())));
        }
    }

    Gen node(int depth) {
        int r = depth <= 0 ? rnd.nextInt(3) : rnd.nextInt(10);
        switch (r) {
            case 0:
            case 1:
                return literal();
            case 2:
                return charClass();
            case 3:
            case 4:
                return concat(depth);
            case 5:
                return alternation(depth);
            case 6:
                return repeat(depth);
            case 7:
                return group(depth);
            case 8:
                return special();
            default:
                return quoted();
        }
    }

    private Gen literal() {
        int r = rnd.nextInt(12);
        if (r < 8) {
            String c = String.valueOf(LETTERS.charAt(rnd.nextInt(LETTERS.length())));
            return fixed(c, c);
        }
        String[][] escapes = {{"=", "="}, {"<", "<"}, {"\\(", "("}, {"\\.", "."}, {"\\*", "*"}, {"\\x{212A}", "\u212a"}, {"\\x41", "A"},
            {"\\n", "\n"}, {"\\101", "A"}, {"-", "-"}, {"\\{", "{"}, {"\u017f", "\u017f"}};
        String[] e = escapes[rnd.nextInt(escapes.length)];
        return fixed(e[0], e[1]);
    }

    private Gen fixed(String regex, String text) {
        return new Gen() {
            @Override public String regex() {
                return regex;
            }

            @Override public void sample(StringBuilder out, boolean ci) {
                for (int i = 0; i < text.length(); i++) {
                    out.append(ci ? variant(text.charAt(i)) : String.valueOf(text.charAt(i)));
                }
            }
        };
    }

    private String variant(char c) {
        for (String[] orbit : ORBITS) {
            for (String m : orbit) {
                if (m.charAt(0) == c) {
                    return orbit[rnd.nextInt(orbit.length)];
                }
            }
        }
        return String.valueOf(c);
    }

    private Gen charClass() {
        String[][] classes = {
            {"[ab]", "ab"}, {"[a-c]", "abc"}, {"[sk]", "sk"}, {"[]a]", "]a"}, {"[a-]", "a-"},
            {"\\d", "0123456789"}, {"\\s", " \t\n"}, {"[[:digit:]]", "57"}, {"[^ab]", "ckz. "},
            {"[\\x{212A}c]", "\u212ac"}, {".", "abz"}, {"\\w", "a_9"}, {"[[:blank:]s]", " \ts"},
            {"[A-C]", "ABC"}, {"\\pL", "bK\u017f"},
        };
        String[] c = classes[rnd.nextInt(classes.length)];
        return new Gen() {
            @Override public String regex() {
                return c[0];
            }

            @Override public void sample(StringBuilder out, boolean ci) {
                char ch = c[1].charAt(rnd.nextInt(c[1].length()));
                out.append(ci ? variant(ch) : String.valueOf(ch));
            }
        };
    }

    private Gen concat(int depth) {
        int n = 2 + rnd.nextInt(4);
        List<Gen> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(node(depth - 1));
        }
        return new Gen() {
            @Override public String regex() {
                StringBuilder sb = new StringBuilder();
                for (Gen g : parts) {
                    sb.append(g.regex());
                }
                return sb.toString();
            }

            @Override public void sample(StringBuilder out, boolean ci) {
                for (Gen g : parts) {
                    g.sample(out, ci);
                }
            }
        };
    }

    private Gen alternation(int depth) {
        int n = 2 + rnd.nextInt(3);
        List<Gen> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(rnd.nextInt(8) == 0 ? fixed("", "") : node(depth - 1));
        }
        return new Gen() {
            @Override public String regex() {
                StringBuilder sb = new StringBuilder("(?:");
                for (int i = 0; i < parts.size(); i++) {
                    sb.append(i == 0 ? "" : "|").append(parts.get(i).regex());
                }
                return sb.append(')').toString();
            }

            @Override public void sample(StringBuilder out, boolean ci) {
                parts.get(rnd.nextInt(parts.size())).sample(out, ci);
            }
        };
    }

    private Gen repeat(int depth) {
        Gen sub = group(depth);
        int kind = rnd.nextInt(6);
        int min;
        int max;
        String op;
        switch (kind) {
            case 0: min = 0; max = 3; op = "*"; break;
            case 1: min = 1; max = 3; op = "+"; break;
            case 2: min = 0; max = 1; op = "?"; break;
            case 3: min = rnd.nextInt(3); max = min; op = "{" + min + "}"; break;
            case 4: min = rnd.nextInt(3); max = min + 2; op = "{" + min + ",}"; break;
            default: min = rnd.nextInt(3); max = min + rnd.nextInt(3); op = "{" + min + "," + max + "}"; break;
        }
        String lazy = rnd.nextInt(4) == 0 ? "?" : "";
        int lo = min;
        int hi = max;
        return new Gen() {
            @Override public String regex() {
                return sub.regex() + op + lazy;
            }

            @Override public void sample(StringBuilder out, boolean ci) {
                int times = lo + rnd.nextInt(hi - lo + 1);
                for (int i = 0; i < times; i++) {
                    sub.sample(out, ci);
                }
            }
        };
    }

    private Gen group(int depth) {
        Gen inner = node(depth - 1);
        String[] opens = {"(", "(?:", "(?P<g>", "(?i:", "(?s:", "(?-i:"};
        int o = rnd.nextInt(opens.length);
        return new Gen() {
            @Override public String regex() {
                return opens[o] + inner.regex() + ")";
            }

            @Override public void sample(StringBuilder out, boolean ci) {
                boolean c = o == 3 || (o != 5 && ci);
                inner.sample(out, c);
            }
        };
    }

    private Gen special() {
        String[][] s = {{"^", ""}, {"$", ""}, {"\\b", ""}, {"\\B", ""}, {"(?i)", ""}, {"\\A", ""}, {"\\z", ""}};
        String[] e = s[rnd.nextInt(s.length)];
        return fixed(e[0], e[1]);
    }

    private Gen quoted() {
        StringBuilder t = new StringBuilder();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            t.append("ab.*(ks".charAt(rnd.nextInt(7)));
        }
        boolean closed = rnd.nextBoolean();
        return fixed("\\Q" + t + (closed ? "\\E" : "\\E"), t.toString());
    }
}
