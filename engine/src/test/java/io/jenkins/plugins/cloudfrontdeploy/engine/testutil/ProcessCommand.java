package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * One exec request of {@link EmbeddedSshServer}, run as a local process whose streams are relayed as OpenSSH's sshd
 * relays them: the exit status is sent only once the process has ended and its output and error output were read to
 * the end, and input the process does not read is dropped.
 *
 * <p>MINA's {@code ProcessShellFactory} cannot stand in for sshd: its one pump thread ({@code InvertedShellWrapper})
 * copies the client's input to the process before it reads the process's output, and when that write fails because
 * the process has already exited ("Broken pipe", or "Stream closed" once {@link Process} has closed the pipe) it
 * reports the exit without reading what the process printed. A command that exits without reading its input, while
 * that input is still on its way, then seems to any client to have printed nothing; the busier the machine, the more
 * often the input comes late.
 */
final class ProcessCommand implements Command {
    private final List<String> argv;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Process process;

    ProcessCommand(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
        this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(env.getEnv());
        process = builder.start();
        daemon("stdin", () -> {
            try (OutputStream stdin = process.getOutputStream()) {
                relay(in, stdin);
            } catch (IOException e) {
                // closing the input of a process that has gone: nothing to tell
            }
        });
        Thread error = daemon("stderr", () -> relay(process.getErrorStream(), err));
        daemon("stdout", () -> {
            relay(process.getInputStream(), out);
            try {
                error.join();
                exit.onExit(process.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Copies {@code from} to its end. Once {@code to} refuses a write (a process that exited or closed its input, a
     * channel the client closed) the rest is read and dropped, so that neither side is left blocked on a full pipe.
     */
    private static void relay(InputStream from, OutputStream to) {
        byte[] buffer = new byte[32 * 1024];
        boolean open = true;
        try (from) {
            for (int n; (n = from.read(buffer)) >= 0; ) {
                if (open) {
                    try {
                        to.write(buffer, 0, n);
                        to.flush();
                    } catch (IOException e) {
                        open = false;
                    }
                }
            }
        } catch (IOException e) {
            // the stream was closed by destroy(): the channel is gone
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, "embedded-sshd-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void destroy(ChannelSession channel) throws IOException {
        if (process != null) {
            process.destroy();
        }
        if (in != null) {
            in.close(); // ends the stdin relay if the client never sent EOF
        }
    }
}
