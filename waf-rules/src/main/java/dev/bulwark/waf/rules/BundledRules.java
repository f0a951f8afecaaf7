package dev.bulwark.waf.rules;

import java.util.List;

/**
 * The rule set bundled with Bulwark: YAML rule files on the class path under
 * {@code bulwark/rules/}, listed in load order by {@link #INDEX}.
 * {@code Waf.builder().bundledRules()} loads them.
 *
 * <p>One file per attack class, each owning a block of rule ids:
 * <ul>
 *   <li>100xxx protocol and method enforcement, scanner detection</li>
 *   <li>101xxx local file inclusion and path traversal</li>
 *   <li>102xxx remote file inclusion</li>
 *   <li>103xxx operating-system command injection</li>
 *   <li>104xxx code injection (PHP, ASP, Python, Node.js)</li>
 *   <li>105xxx cross-site scripting</li>
 *   <li>106xxx SQL injection</li>
 *   <li>107xxx Java: Log4Shell, deserialization, SpEL/OGNL, Spring4Shell</li>
 *   <li>108xxx server-side request forgery and out-of-band probes</li>
 *   <li>109xxx XML external entities</li>
 *   <li>110xxx server-side template injection and server-side includes</li>
 *   <li>111xxx NoSQL and LDAP injection</li>
 *   <li>112xxx CRLF, header and mail-command injection</li>
 *   <li>113xxx session fixation</li>
 * </ul>
 * Rules with id {@code xxx900} in each block look for the same attack class inside
 * base64-encoded values. Every rule adds its severity to the anomaly score ({@code action: block}):
 * CRITICAL (5) alone reaches the default inbound threshold, weaker signals (WARNING, NOTICE) need
 * company. Paranoia level 1 is tuned for very few false positives; levels 2 and 3 add broader
 * signatures. Phrase lists (the {@code .data} files beside the rules) are our own selections.
 *
 * <p>This class only names resources; it holds no state and is thread-safe.
 */
public final class BundledRules {

    /** Class-path resource listing the rule files in load order, one per line. */
    public static final String INDEX = "bulwark/rules/index.txt";

    /** Class-path folder holding the rule and data files. */
    public static final String BASE = "bulwark/rules/";

    /** The id blocks of the bundled set: first id of each attack-class file. */
    public static final List<Integer> ID_BLOCKS = List.of(100000, 101000, 102000, 103000, 104000,
            105000, 106000, 107000, 108000, 109000, 110000, 111000, 112000, 113000);

    private BundledRules() {
    }
}
