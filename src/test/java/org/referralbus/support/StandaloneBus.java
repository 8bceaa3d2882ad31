package org.referralbus.support;

import static org.referralbus.support.LocalMachine.freePort;

import java.nio.file.Path;
import org.referralbus.ReferralBusApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the real application outside the Spring test context cache, for restart and profile tests. */
public final class StandaloneBus implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private StandaloneBus(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static StandaloneBus start(Path dataDir, String... extraArguments) {
        String[] base = {
                "--referral-bus.data-dir=" + dataDir,
                "--referral-bus.broker.port=" + freePort(),
                "--server.port=0"};
        String[] arguments = new String[base.length + extraArguments.length];
        System.arraycopy(base, 0, arguments, 0, base.length);
        System.arraycopy(extraArguments, 0, arguments, base.length, extraArguments.length);
        return new StandaloneBus(new SpringApplicationBuilder(ReferralBusApplication.class).run(arguments));
    }

    public String baseUrl() {
        return "https://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** The port of the broker's TLS acceptor. */
    public int brokerPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("referral-bus.broker.port"));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
