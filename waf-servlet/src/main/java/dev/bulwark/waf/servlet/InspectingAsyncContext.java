package dev.bulwark.waf.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * An {@link AsyncContext} that inspects the buffered response when the application completes it:
 * asynchronous servlets such as Jetty's proxy finish their response long after the filter
 * chain has returned, so this is the only point where phases 3 and 4 can still run.
 */
final class InspectingAsyncContext implements AsyncContext {

    private final AsyncContext delegate;
    private final InspectingResponse response;

    InspectingAsyncContext(AsyncContext delegate, InspectingResponse response) {
        this.delegate = delegate;
        this.response = response;
    }

    AsyncContext delegate() {
        return delegate;
    }

    @Override
    public void complete() {
        response.finish();
        delegate.complete();
    }

    @Override
    public void dispatch() {
        // The dispatched resource writes through the container; what was buffered goes first.
        response.finish();
        delegate.dispatch();
    }

    @Override
    public void dispatch(String path) {
        response.finish();
        delegate.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
        response.finish();
        delegate.dispatch(context, path);
    }

    @Override
    public ServletRequest getRequest() {
        return delegate.getRequest();
    }

    @Override
    public ServletResponse getResponse() {
        return delegate.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return delegate.hasOriginalRequestAndResponse();
    }

    @Override
    public void start(Runnable run) {
        delegate.start(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
        delegate.addListener(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest request, ServletResponse servletResponse) {
        delegate.addListener(listener, request, servletResponse);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
        return delegate.createListener(type);
    }

    @Override
    public void setTimeout(long timeout) {
        delegate.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
        return delegate.getTimeout();
    }
}
