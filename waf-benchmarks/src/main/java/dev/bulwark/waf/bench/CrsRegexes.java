package dev.bulwark.waf.bench;

import com.google.re2j.Pattern;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code @rx} operator arguments of OWASP CRS rule files in place (they are never
 * copied into this project) and compiles them with RE2J, with the engine's flags.
 *
 * <p>Only as much of the ModSecurity configuration syntax as the CRS uses is understood:
 * comment lines, backslash line continuations, and {@code SecRule TARGETS "OPERATOR" "ACTIONS"}
 * with double- or single-quoted arguments where a backslash only escapes the quote character
 * (other backslashes belong to the regex). An operator without {@code @name} is an implicit
 * {@code @rx}, and a negated {@code !@rx} still contributes its regex.
 */
final class CrsRegexes {

    /** One {@code @rx} argument and where it came from. */
    record Source(String file, int line, String regex) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /** A regex RE2J compiled. */
    record Compiled(Source source, Pattern pattern) {
    }

    /** A regex that was left out, and why. */
    record Skipped(Source source, String reason) {
    }

    /** The outcome of loading a rules directory. */
    record Loaded(List<Compiled> compiled, List<Skipped> skipped) {
    }

    /** The flags the engine's {@code @rx} uses (as ModSecurity v3 and Coraza do for CRS). */
    static final int FLAGS = Pattern.DOTALL | Pattern.MULTILINE;

    private CrsRegexes() {
    }

    /**
     * Resolves the CRS checkout from the {@code crs.dir} system property (default
     * {@code ../shared/corpus/crs}, relative to the working directory).
     *
     * @throws IllegalStateException with instructions when {@code rules/} does not exist there
     */
    static Path rulesDir() {
        String dir = System.getProperty("crs.dir", "../shared/corpus/crs");
        Path rules = Path.of(dir).resolve("rules").toAbsolutePath().normalize();
        if (!Files.isDirectory(rules)) {
            throw new IllegalStateException("OWASP CRS v4 rules not found at " + rules
                    + ": run from the repository root next to ../shared/corpus/crs, or pass"
                    + " -Dcrs.dir=<path of a coreruleset checkout containing rules/*.conf>");
        }
        return rules;
    }

    /** Loads and compiles every {@code @rx} of {@code rulesDir/*.conf}, files in name order. */
    static Loaded load(Path rulesDir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(rulesDir, "*.conf")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + rulesDir, e);
        }
        files.sort(null);
        List<Compiled> compiled = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
            for (Source s : extract(f.getFileName().toString(), text)) {
                if (s.regex().contains("%{")) {
                    // A macro is expanded per transaction; there is no fixed regex to compile.
                    skipped.add(new Skipped(s, "contains a macro"));
                    continue;
                }
                try {
                    compiled.add(new Compiled(s, Pattern.compile(s.regex(), FLAGS)));
                } catch (RuntimeException e) {
                    skipped.add(new Skipped(s, String.valueOf(e.getMessage())));
                }
            }
        }
        return new Loaded(List.copyOf(compiled), List.copyOf(skipped));
    }

    /** Extracts the {@code @rx} arguments of one configuration file's text. */
    static List<Source> extract(String fileName, String text) {
        List<Source> out = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        int logicalStart = 0;
        int lineNo = 0;
        int pos = 0;
        int n = text.length();
        while (pos <= n) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) {
                eol = n;
            }
            lineNo++;
            String line = text.substring(pos, eol);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            pos = eol + 1;
            if (logical.length() == 0) {
                logicalStart = lineNo;
            }
            String trimmedEnd = stripTrailing(line);
            if (trimmedEnd.endsWith("\\")) {
                // Continuation: the next physical line belongs to this directive.
                logical.append(trimmedEnd, 0, trimmedEnd.length() - 1).append(' ');
                if (pos <= n) {
                    continue;
                }
            } else {
                logical.append(line);
            }
            Source s = rxOf(fileName, logicalStart, logical.toString());
            if (s != null) {
                out.add(s);
            }
            logical.setLength(0);
        }
        return out;
    }

    private static Source rxOf(String fileName, int line, String directive) {
        List<String> tokens = tokens(directive);
        if (tokens.size() < 3 || !tokens.get(0).equalsIgnoreCase("SecRule")) {
            return null;
        }
        String op = tokens.get(2);
        if (op.startsWith("!")) {
            op = op.substring(1);
        }
        String regex;
        if (op.startsWith("@")) {
            int end = 1;
            while (end < op.length() && !isSpace(op.charAt(end))) {
                end++;
            }
            if (!op.substring(1, end).equalsIgnoreCase("rx")) {
                return null;
            }
            while (end < op.length() && isSpace(op.charAt(end))) {
                end++;
            }
            regex = op.substring(end);
        } else {
            regex = op; // ModSecurity's default operator is @rx
        }
        return new Source(fileName, line, regex);
    }

    /** Splits a directive into words; a comment line yields no words. */
    static List<String> tokens(String directive) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = directive.length();
        while (i < n && isSpace(directive.charAt(i))) {
            i++;
        }
        if (i < n && directive.charAt(i) == '#') {
            return out;
        }
        StringBuilder word = new StringBuilder();
        while (i < n) {
            char c = directive.charAt(i);
            if (isSpace(c)) {
                i++;
                continue;
            }
            word.setLength(0);
            if (c == '"' || c == '\'') {
                char quote = c;
                i++;
                while (i < n && directive.charAt(i) != quote) {
                    char d = directive.charAt(i);
                    if (d == '\\' && i + 1 < n && directive.charAt(i + 1) == quote) {
                        d = quote;
                        i++;
                    }
                    word.append(d);
                    i++;
                }
                i++; // the closing quote (or past the end when it is missing)
            } else {
                while (i < n && !isSpace(directive.charAt(i))) {
                    word.append(directive.charAt(i));
                    i++;
                }
            }
            out.add(word.toString());
        }
        return out;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
