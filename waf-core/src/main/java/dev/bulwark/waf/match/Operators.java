package dev.bulwark.waf.match;

import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.OperatorFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in operators, keyed by their ModSecurity names in camelCase (the engine looks them
 * up case-insensitively). Phrase matching ({@code pm}, {@code pmFromFile}) is registered
 * elsewhere; {@code detectSQLi} and {@code detectXSS} are not provided (they need
 * libinjection).
 *
 * <p>All factories throw {@link IllegalArgumentException} for an invalid argument; the
 * operators they create are thread-safe, linear in the input and never throw.
 */
public final class Operators {

    private static final Map<String, OperatorFactory> BUILTINS = build();

    private Operators() {
    }

    /** The operator factories by name; the map is immutable and keeps a stable order. */
    /**
     * The byte values a {@code @validateByteRange} operator built here allows (a 256-bit set, a
     * copy), or null for any other operator. The engine uses it to skip values whose character
     * kinds all fall inside the set.
     */
    public static long[] allowedBytesOf(Operator op) {
        return op instanceof ByteRange.Allowed a ? a.bits.clone() : null;
    }

    public static Map<String, OperatorFactory> builtins() {
        return BUILTINS;
    }

    private static Map<String, OperatorFactory> build() {
        Map<String, OperatorFactory> m = new LinkedHashMap<>();
        m.put("rx", (arg, support) -> RxOperator.create(arg));
        m.put("contains", StringOperators::contains);
        m.put("containsWord", StringOperators::containsWord);
        m.put("beginsWith", StringOperators::beginsWith);
        m.put("endsWith", StringOperators::endsWith);
        m.put("streq", StringOperators::streq);
        m.put("strmatch", StringOperators::strmatch);
        m.put("within", StringOperators::within);
        m.put("eq", NumericOperators.factory(NumericOperators.Cmp.EQ));
        m.put("ge", NumericOperators.factory(NumericOperators.Cmp.GE));
        m.put("gt", NumericOperators.factory(NumericOperators.Cmp.GT));
        m.put("le", NumericOperators.factory(NumericOperators.Cmp.LE));
        m.put("lt", NumericOperators.factory(NumericOperators.Cmp.LT));
        m.put("ipMatch", (arg, support) -> IpSet.operator(IpSet.parseList(arg)));
        OperatorFactory fromFile = IpSet::fromFile;
        m.put("ipMatchFromFile", fromFile);
        m.put("ipMatchF", fromFile);
        m.put("validateByteRange", (arg, support) -> ByteRange.operator(arg));
        m.put("validateUrlEncoding", (arg, support) -> EncodingValidators::invalidUrlEncoding);
        m.put("validateUtf8Encoding", (arg, support) -> EncodingValidators::invalidUtf8);
        m.put("unconditionalMatch", (arg, support) -> (input, ctx) -> true);
        m.put("noMatch", (arg, support) -> (input, ctx) -> false);
        return Collections.unmodifiableMap(m);
    }
}
