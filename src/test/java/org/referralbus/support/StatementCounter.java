package org.referralbus.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * A small JDBC proxy for tests: wraps the application's {@link DataSource} (as a {@link BeanPostProcessor}) and counts
 * the statements executed and the transactions committed, and which statements they were. A statement run with
 * auto-commit on counts as a transaction of its own. Counting runs between {@link #start()} and {@link #stop()}.
 */
public final class StatementCounter implements BeanPostProcessor {

    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final Map<String, AtomicLong> bySql = new ConcurrentHashMap<>();
    private volatile boolean counting;

    public void start() {
        statements.set(0);
        transactions.set(0);
        bySql.clear();
        counting = true;
    }

    public void stop() {
        counting = false;
    }

    public long statements() {
        return statements.get();
    }

    public long transactions() {
        return transactions.get();
    }

    /** Each statement's SQL (whitespace collapsed) with how often it ran. */
    public Map<String, Long> bySql() {
        Map<String, Long> copy = new TreeMap<>();
        bySql.forEach((sql, n) -> copy.put(sql, n.get()));
        return copy;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !Proxy.isProxyClass(bean.getClass())) {
            return proxy(DataSource.class, dataSource, (target, method, args) -> {
                Object result = invoke(target, method, args);
                return result instanceof Connection c ? proxy(Connection.class, c, connectionHandler(c)) : result;
            });
        }
        return bean;
    }

    private Handler connectionHandler(Connection connection) {
        return (target, method, args) -> {
            Object result = invoke(target, method, args);
            if (method.getName().equals("commit") && counting) {
                transactions.incrementAndGet();
            }
            if (result instanceof Statement statement) {
                String prepared = args != null && args.length > 0 && args[0] instanceof String sql ? sql : null;
                Class<?> type = statement instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
                        : statement instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
                return proxy(type, statement, statementHandler(connection, prepared));
            }
            return result;
        };
    }

    private Handler statementHandler(Connection connection, String prepared) {
        return (target, method, args) -> {
            if (method.getName().startsWith("execute") && counting) {
                String sql = prepared != null ? prepared : args != null && args.length > 0 ? String.valueOf(args[0]) : "?";
                statements.incrementAndGet();
                bySql.computeIfAbsent(sql.replaceAll("\\s+", " ").trim(), s -> new AtomicLong()).incrementAndGet();
                if (connection.getAutoCommit()) {
                    transactions.incrementAndGet();
                }
            }
            return invoke(target, method, args);
        };
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(Object target, Method method, Object[] args) throws Throwable;
    }

    private static Object proxy(Class<?> type, Object target, Handler handler) {
        InvocationHandler invocation = (p, method, args) -> {
            if (method.getName().equals("unwrap") && args != null && args[0] instanceof Class<?> wanted && wanted.isInstance(target)) {
                return target;
            }
            return handler.handle(target, method, args);
        };
        return Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[] {type}, invocation);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
