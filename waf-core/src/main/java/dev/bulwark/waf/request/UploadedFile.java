package dev.bulwark.waf.request;

import java.util.Objects;

/**
 * A file part of a multipart body. The content itself is not kept, only its size.
 *
 * @param fieldName   the form field name ({@code FILES_NAMES}), never null
 * @param fileName    the client supplied file name ({@code FILES}), never null (may be empty)
 * @param contentType the part's Content-Type header value, empty when the part had none
 * @param size        the content length in bytes ({@code FILES_SIZES})
 */
public record UploadedFile(String fieldName, String fileName, String contentType, long size) {

    /** Rejects nulls and negative sizes. */
    public UploadedFile {
        Objects.requireNonNull(fieldName, "fieldName");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(contentType, "contentType");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }
}
