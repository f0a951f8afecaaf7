package dev.bulwark.waf.request;
import java.util.*;
public final class UrlEncoded { public static List<Arg> parse(String t, int max) { List<Arg> r = new ArrayList<>(); if (t == null || t.isEmpty()) return r;
  for (String p : t.split("&")) { if (p.isEmpty()) continue; int e = p.indexOf('='); String k = e < 0 ? p : p.substring(0, e), v = e < 0 ? "" : p.substring(e + 1);
    r.add(new Arg(dec(k), dec(v))); } return r; }
  static String dec(String s) { try { return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8); } catch (RuntimeException e) { return s; } } }
