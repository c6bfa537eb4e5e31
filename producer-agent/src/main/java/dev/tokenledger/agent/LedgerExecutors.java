/*
 * Copyright 2026 The TokenLedger authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package dev.tokenledger.agent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Executors that carry the submitting thread's {@link LedgerContext} to the thread that runs the task,
 * so calls made from a thread pool keep their feature, tenant and request tree.
 */
public final class LedgerExecutors {
    private LedgerExecutors() {
    }

    public static Executor wrap(Executor delegate) {
        return command -> delegate.execute(capture(command));
    }

    public static ExecutorService wrap(ExecutorService delegate) {
        return new ContextExecutorService(delegate);
    }

    static Runnable capture(Runnable task) {
        LedgerContext ctx = LedgerContext.current();
        return ctx == null ? task : ctx.wrap(task);
    }

    static <T> Callable<T> capture(Callable<T> task) {
        LedgerContext ctx = LedgerContext.current();
        return ctx == null ? task : ctx.wrap(task);
    }

    private static final class ContextExecutorService extends AbstractExecutorService {
        private final ExecutorService delegate;

        ContextExecutorService(ExecutorService delegate) {
            this.delegate = delegate;
        }

        @Override
        public void execute(Runnable command) {
            delegate.execute(capture(command));
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return delegate.submit(capture(task));
        }

        @Override
        public Future<?> submit(Runnable task) {
            return delegate.submit(capture(task));
        }

        @Override
        public <T> Future<T> submit(Runnable task, T result) {
            return delegate.submit(capture(task), result);
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
            List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
            for (Callable<T> t : tasks) {
                wrapped.add(capture(t));
            }
            return delegate.invokeAll(wrapped);
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }
    }
}
