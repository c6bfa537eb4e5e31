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
package dev.tokenledger.dashboard;

import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A few open warehouse connections the API's workers take turns on, so a page's dozen queries do
 * not each pay a PostgreSQL login. A connection that failed is closed, not reused.
 */
final class WarehousePool implements AutoCloseable {
    /** Work on one connection. */
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final String url;
    private final String user;
    private final String password;
    private final Dialect dialect;
    private final BlockingQueue<Connection> idle;

    WarehousePool(String url, String user, String password, int size) {
        this.dialect = Dialect.fromUrl(url);
        this.url = url;
        this.user = user;
        this.password = password;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    Dialect dialect() {
        return dialect;
    }

    <T> T with(Work<T> work) throws SQLException {
        Connection c = idle.poll();
        if (c == null) {
            c = Warehouse.connect(url, user, password);
        }
        try {
            T result = work.apply(c);
            if (!idle.offer(c)) {
                c.close();
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failed; the caller gets the first error
        }
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            closeQuietly(c);
        }
    }
}
