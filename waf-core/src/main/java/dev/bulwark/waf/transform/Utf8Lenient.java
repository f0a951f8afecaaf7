package dev.bulwark.waf.transform;
public final class Utf8Lenient {
  public static String decode(byte[] b, int off, int len) { return new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8); }
}
