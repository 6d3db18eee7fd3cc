package io.smtpd.ops;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with a working MDC (slf4j-simple's own is a no-op), chosen for the tests with the system property
 * {@code slf4j.provider}, so that tests can see what the server puts into the MDC.
 */
public final class MdcSimpleProvider extends SimpleServiceProvider {
    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }
}
