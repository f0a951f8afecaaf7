/**
 * The runnable Bulwark reverse proxy: {@link dev.bulwark.waf.proxy.BulwarkProxy} (command line),
 * {@link dev.bulwark.waf.proxy.ProxyServer} (a Jetty 12 server with the WAF filter in front of a
 * proxy servlet) and {@link dev.bulwark.waf.proxy.DemoBackend} (a tiny echo application to try
 * it against).
 *
 * <p>Thread-safety: a started server or backend is safe to use and close from any thread; the
 * servlets inside are shared by all requests and keep no per-request state.
 */
package dev.bulwark.waf.proxy;
