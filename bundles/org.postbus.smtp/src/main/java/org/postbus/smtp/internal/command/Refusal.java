package org.postbus.smtp.internal.command;

import org.postbus.smtp.internal.codec.Reply;

/** A command argument that cannot be accepted, with the reply that says why. */
final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Reply reply;

    Refusal(int code, String status, String text) {
        super(text, null, false, false);
        this.reply = Reply.of(code, status, text);
    }

    Reply reply() {
        return reply;
    }
}
