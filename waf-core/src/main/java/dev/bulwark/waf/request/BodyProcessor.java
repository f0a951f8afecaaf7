package dev.bulwark.waf.request;
public enum BodyProcessor { URLENCODED, MULTIPART, JSON, XML, NONE;
  public static BodyProcessor forContentType(String ct) { if (ct == null) return NONE; String c = ct.toLowerCase(java.util.Locale.ROOT);
    if (c.startsWith("application/x-www-form-urlencoded")) return URLENCODED; if (c.startsWith("multipart/form-data")) return MULTIPART;
    if (c.contains("json")) return JSON; if (c.contains("xml")) return XML; return NONE; } }
