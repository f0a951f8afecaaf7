/**
 * Request body processors: turn a buffered request body into the values rules inspect
 * ({@code ARGS_POST}, {@code FILES}, {@code MULTIPART_PART_HEADERS}, {@code XML}, the multipart
 * strictness flags and {@code REQBODY_ERROR}).
 *
 * <p>The entry point is {@link dev.bulwark.waf.request.BodyParser#parse}; query strings use
 * {@link dev.bulwark.waf.request.UrlEncoded}. {@link dev.bulwark.waf.request.ContentCoding}
 * undoes a body's {@code Content-Encoding} before parsing, within the engine's size and ratio
 * limits; {@link dev.bulwark.waf.request.BodyProcessor#sniff} tells whether a body whose type
 * declares no format is shaped like JSON or a form. Every parser here is linear in its input, never
 * touches the network or file system, and reports malformed or hostile input through
 * {@link dev.bulwark.waf.request.ParsedBody#error()} and
 * {@link dev.bulwark.waf.request.ParsedBody#limitExceeded()} instead of throwing.
 *
 * <p>Thread-safety: all public types are immutable values or stateless static utilities and are
 * safe to use from any number of threads; parser state lives on the calling thread's stack.
 */
package dev.bulwark.waf.request;
