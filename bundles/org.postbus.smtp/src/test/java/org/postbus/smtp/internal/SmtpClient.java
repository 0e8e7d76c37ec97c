package org.postbus.smtp.internal;

import java.io.IOException;
import org.postbus.testkit.LineClient;

/** A raw SMTP client for scripted conversations: sends exactly the bytes a test gives; replies may span lines. */
final class SmtpClient extends LineClient {

    SmtpClient(int port) throws IOException {
        super(port);
    }

    /** Sends a command line and reads its whole reply. */
    @Override
    public String command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    /** Reads one reply, all its lines joined by LF, without the final CRLF. */
    String reply() throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = line();
            if (line == null) {
                throw new IOException("connection closed; read so far: " + reply);
            }
            reply.append(reply.length() == 0 ? "" : "\n").append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

    /** Reads a reply and checks its start. */
    String expectReply(String expected) throws IOException {
        String reply = reply();
        if (!reply.startsWith(expected)) {
            throw new AssertionError(reply + " (expected " + expected + ")");
        }
        return reply;
    }
}
