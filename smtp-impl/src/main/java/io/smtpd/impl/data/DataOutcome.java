package io.smtpd.impl.data;

/** How a DATA section ended, aiosmtpd's {@code _DataState}. The first limit crossed wins. */
public enum DataOutcome {
    /** Within every limit. */
    NOMINAL,
    /** A line was longer than the DATA line limit: {@code 500} after the terminator. */
    TOO_LONG,
    /** The content was larger than the size limit: {@code 552} after the terminator. */
    TOO_MUCH
}
