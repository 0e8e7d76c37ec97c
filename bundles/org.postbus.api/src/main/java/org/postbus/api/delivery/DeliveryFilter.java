package org.postbus.api.delivery;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A filter in the delivery pipeline: mail authentication, spam, Sieve, or a third party's own.
 *
 * <p>Register an implementation as an OSGi service. Every received message passes every filter
 * in descending {@code service.ranking} order (ties: lower {@code service.id} first) until one
 * returns an action other than {@code CONTINUE}. Filters are called on a worker thread and may
 * block briefly (DNS, a local socket); a slow filter delays the SMTP reply, so keep it under a
 * few seconds. A filter that throws is logged and skipped: a broken plugin never loses mail.
 */
@ConsumerType
public interface DeliveryFilter {

    /** Service property: a short name for logs and the admin console, such as {@code spam}. */
    String NAME = "postbus.filter.name";

    /**
     * Decides about one message.
     *
     * @param transaction the message and its envelope
     * @return the verdict; never {@code null}
     */
    Verdict filter(MailTransaction transaction) throws Exception;
}
