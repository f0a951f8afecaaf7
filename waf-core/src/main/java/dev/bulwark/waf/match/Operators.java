package dev.bulwark.waf.match;
import dev.bulwark.waf.spi.*;
import java.util.*;
public final class Operators {
  public static Map<String, OperatorFactory> builtins() {
    Map<String, OperatorFactory> m = new LinkedHashMap<>();
    m.put("rx", (a, s) -> { com.google.re2j.Pattern p = com.google.re2j.Pattern.compile(a); return (in, c) -> {
        com.google.re2j.Matcher mm = p.matcher(in); if (!mm.find()) return false;
        if (c.captureEnabled()) for (int i = 0; i <= Math.min(9, mm.groupCount()); i++) c.capture(i, mm.group(i) == null ? "" : mm.group(i));
        return true; }; });
    m.put("streq", (a, s) -> (in, c) -> in.equals(c.expand(a)));
    m.put("contains", (a, s) -> (in, c) -> in.contains(c.expand(a)));
    m.put("beginsWith", (a, s) -> (in, c) -> in.startsWith(c.expand(a)));
    m.put("endsWith", (a, s) -> (in, c) -> in.endsWith(c.expand(a)));
    m.put("within", (a, s) -> (in, c) -> c.expand(a).contains(in));
    m.put("eq", (a, s) -> (in, c) -> num(in) == num(c.expand(a)));
    m.put("ge", (a, s) -> (in, c) -> num(in) >= num(c.expand(a)));
    m.put("gt", (a, s) -> (in, c) -> num(in) > num(c.expand(a)));
    m.put("le", (a, s) -> (in, c) -> num(in) <= num(c.expand(a)));
    m.put("lt", (a, s) -> (in, c) -> num(in) < num(c.expand(a)));
    m.put("unconditionalMatch", (a, s) -> (in, c) -> true);
    m.put("noMatch", (a, s) -> (in, c) -> false);
    return m;
  }
  static long num(String s) { try { return Long.parseLong(s.trim()); } catch (NumberFormatException e) { return 0; } }
}
