package dev.bulwark.waf.request;
import java.util.*;
public final class ParsedBody { final List<Arg> args; final String error; ParsedBody(List<Arg> a, String e) { args = a; error = e; }
  public List<Arg> args() { return args; } public List<UploadedFile> files() { return List.of(); } public List<String> partHeaders() { return List.of(); }
  public List<Arg> xml() { return List.of(); } public String error() { return error; } public boolean limitExceeded() { return false; } public boolean multipartStrictError() { return false; } }
