package dev.bulwark.waf.match.prefilter;
public final class LiteralPrefilter {
  public static Builder builder() { return new Builder(); }
  public static final class Builder { int n; public Builder minAtomLength(int l) { return this; } public int add(String regex) { return n++; } public LiteralPrefilter build() { return new LiteralPrefilter(n); } }
  final int n; LiteralPrefilter(int n) { this.n = n; }
  public Scan scan(CharSequence value) { return new Scan(); }
  public boolean mayMatch(int id, Scan scan) { return true; }
  public boolean isFiltered(int id) { return false; }
  public int patternCount() { return n; }
  public static final class Scan {}
}
