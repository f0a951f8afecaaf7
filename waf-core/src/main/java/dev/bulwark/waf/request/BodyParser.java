package dev.bulwark.waf.request;
public final class BodyParser { public static ParsedBody parse(BodyProcessor p, String ct, byte[] b, int off, int len, BodyLimits l) {
  if (p == BodyProcessor.URLENCODED) return new ParsedBody(UrlEncoded.parse(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8), l.maxArgs()), null);
  return new ParsedBody(java.util.List.of(), null); } }
