package dev.bulwark.waf.match;
import dev.bulwark.waf.spi.*;
import java.util.*;
public final class PhraseOperators {
  public static Map<String, OperatorFactory> builtins() {
    Map<String, OperatorFactory> m = new LinkedHashMap<>();
    m.put("pm", (a, s) -> { List<String> ps = new ArrayList<>(); for (String p : a.toLowerCase(Locale.ROOT).trim().split(" +")) if (!p.isEmpty()) ps.add(p);
      return (in, c) -> { String l = in.toLowerCase(Locale.ROOT); for (String p : ps) if (l.contains(p)) return true; return false; }; });
    m.put("pmFromFile", (a, s) -> { try { List<String> ps = new ArrayList<>(); for (String f : a.trim().split(" +")) for (String p : s.readDataFile(f)) ps.add(p.toLowerCase(Locale.ROOT));
      return (in, c) -> { String l = in.toLowerCase(Locale.ROOT); for (String p : ps) if (l.contains(p)) return true; return false; }; } catch (java.io.IOException e) { throw new IllegalArgumentException(e.getMessage()); } });
    m.put("pmf", m.get("pmFromFile"));
    return m;
  }
}
