/**
 * The Servlet connector: {@link dev.bulwark.waf.servlet.WafFilter}, a {@code jakarta.servlet.Filter}
 * that drives a {@link dev.bulwark.waf.Transaction} through the request and response phases,
 * plus its package-private request/response wrappers, block page writer and the parsers that
 * rebuild form parameters and multipart parts from the body the filter consumed.
 *
 * <p>Thread-safety: the filter itself is thread-safe and shared by all requests once
 * initialised. The wrappers and the transaction belong to one exchange and are used by one
 * thread at a time (asynchronous requests hand them from thread to thread, never concurrently).
 */
package dev.bulwark.waf.servlet;
