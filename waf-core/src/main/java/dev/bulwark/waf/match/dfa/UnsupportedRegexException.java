package dev.bulwark.waf.match.dfa;

/** Thrown while compiling when a pattern uses syntax the lazy DFA does not handle. */
final class UnsupportedRegexException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnsupportedRegexException(String message) {
        super(message, null, false, false);
    }
}
