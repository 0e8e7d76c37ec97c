package org.postbus.queue.internal;

/**
 * Why a recipient was not delivered.
 *
 * @param permanent whether retrying cannot help (a 5xx, a null MX, a missing domain)
 * @param status the RFC 3463 status, such as {@code 5.1.1} or {@code 4.4.1}
 * @param diagnostic the remote reply or a local reason
 * @param remoteMta the server that answered, empty if none did
 */
record Failure(boolean permanent, String status, String diagnostic, String remoteMta) {

    static Failure permanent(String status, String diagnostic) {
        return new Failure(true, status, diagnostic, "");
    }

    static Failure temporary(String status, String diagnostic) {
        return new Failure(false, status, diagnostic, "");
    }

    /** From an SMTP reply: its enhanced code if it has one, else one derived from the class. */
    static Failure fromReply(SmtpReply reply, String remoteMta) {
        boolean permanent = reply.code() >= 500;
        String status = reply.enhancedCode().orElse(permanent ? "5.0.0" : "4.0.0");
        return new Failure(permanent, status, reply.toString(), remoteMta);
    }
}
