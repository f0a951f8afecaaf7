/**
 * The built-in transformations (decoding normalizers) applied to rule inputs before operators
 * run, published by {@link dev.bulwark.waf.transform.Transformations#builtins()}, and the shared
 * lenient byte/String conversion {@link dev.bulwark.waf.transform.Utf8Lenient}.
 *
 * <p>Everything here is stateless and thread-safe: each transformation is a pure function that
 * is linear in its input, never throws on malformed input (invalid encodings are left as they
 * are) and uses none of the JDK's backtracking regex package.
 */
package dev.bulwark.waf.transform;
