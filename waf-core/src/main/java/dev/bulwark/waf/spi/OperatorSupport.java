package dev.bulwark.waf.spi;

import java.io.IOException;
import java.util.List;

/** Load-time services offered to {@link OperatorFactory} implementations. */
public interface OperatorSupport {

    /**
     * Reads a data file (one entry per line) named relative to the rule file that references it,
     * or on the class path. Blank lines and lines starting with {@code #} are dropped; entries
     * are trimmed.
     */
    List<String> readDataFile(String name) throws IOException;

    /** A support that finds no files; useful for tests and for rules built in code. */
    static OperatorSupport none() {
        return name -> {
            throw new IOException("no data files are available here: " + name);
        };
    }
}
