package dev.bulwark.waf.transform;
import dev.bulwark.waf.spi.Transformation;
import java.util.*;
public final class Transformations {
  public static Map<String, Transformation> builtins() {
    Map<String, Transformation> m = new LinkedHashMap<>();
    m.put("none", s -> s);
    m.put("lowercase", s -> s.toLowerCase(Locale.ROOT));
    m.put("urlDecodeUni", s -> { try { return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);} catch (RuntimeException e) { return s; } });
    m.put("urlDecode", m.get("urlDecodeUni"));
    m.put("htmlEntityDecode", s -> s);
    m.put("compressWhitespace", s -> s);
    m.put("removeNulls", s -> s.replace("\0", ""));
    m.put("length", s -> Integer.toString(s.length()));
    return m;
  }
}
