package dev.bulwark.waf.request;
public record Arg(String name, String value) {}
