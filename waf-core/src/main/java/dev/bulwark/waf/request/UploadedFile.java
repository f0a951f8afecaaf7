package dev.bulwark.waf.request;
public record UploadedFile(String fieldName, String fileName, String contentType, long size) {}
