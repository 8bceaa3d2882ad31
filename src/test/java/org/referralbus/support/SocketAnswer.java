package org.referralbus.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * What a server sent on a raw socket, read until it closed the connection or the socket's read timeout passed.
 *
 * @param text   everything read, as UTF-8
 * @param closed whether the server closed (or reset) the connection; if not, the timeout passed with it still open
 */
public record SocketAnswer(String text, boolean closed) {

    public static SocketAnswer read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) > 0) {
                text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            return new SocketAnswer(text.toString(), true);
        } catch (SocketTimeoutException e) {
            return new SocketAnswer(text.toString(), false);
        } catch (IOException reset) {
            return new SocketAnswer(text.toString(), true);
        }
    }
}
