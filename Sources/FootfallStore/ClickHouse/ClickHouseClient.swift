import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Statements and inserts over ClickHouse's HTTP interface (async-http-client): the SQL in
/// the body (or, for an insert, in the `query` parameter with the rows as the body), the
/// database and settings as URL parameters, credentials as HTTP Basic auth.
///
/// Every request sets `wait_end_of_query=1`, so an error is an HTTP status rather than a
/// truncated 200, and `optimize_move_to_prewhere=0`, so a `WHERE` on a non-key column is
/// applied after `FINAL` collapses row versions, never before.
///
/// Requests share ``http``, whose pool drops a connection idle for ``poolIdleTimeout``:
/// clickhouse-server closes an idle keep-alive connection after its `keep_alive_timeout`
/// (3 s by default in 18.16, 10 s in recent releases), and a request sent on a connection
/// the server is closing fails. A statement that changes nothing twice (a read, DDL,
/// `ALTER … DELETE`) is sent once more on a new connection when that happens; an insert is
/// not (the append fails and its events are retried with the next one).
struct ClickHouseClient: Sendable {
    let location: ClickHouseLocation
    /// Seconds one request may take, connect to last byte.
    let timeout: Int64

    /// How long a pooled connection may stay idle: under any clickhouse-server default
    /// `keep_alive_timeout` (3 s and up), so the client, not the server, closes it.
    static let poolIdleTimeout = TimeAmount.seconds(2)
    /// The connection pool of every ClickHouse request in the process (never shut down, like
    /// `HTTPClient.shared`, whose 600 s idle timeout outlives the server's keep-alive).
    static let http = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(connectionPool: .init(idleTimeout: poolIdleTimeout)))

    init(location: ClickHouseLocation, timeout: Int64 = 60) {
        self.location = location
        self.timeout = timeout
    }

    /// Runs a statement that returns nothing (DDL, `ALTER … DELETE`).
    /// - Parameters:
    ///   - inDatabase: false for statements run before the database exists.
    ///   - timeout: seconds it may take instead of ``timeout``. A refused connection is
    ///     retried until then (async-http-client's pool), so a first contact uses a short one.
    /// - Throws: ``ClickHouseError``.
    func execute(_ sql: String, inDatabase: Bool = true, timeout: Int64? = nil) async throws {
        _ = try await send(
            body: Array(sql.utf8), parameters: inDatabase ? [("database", location.database)] : [], timeout: timeout, resend: true)
    }

    /// Runs a query and returns its raw output (the caller's `FORMAT`).
    /// - Throws: ``ClickHouseError``.
    func query(_ sql: String) async throws -> [UInt8] {
        try await send(body: Array(sql.utf8), parameters: [("database", location.database)], resend: true)
    }

    /// Runs a query in `FORMAT TabSeparatedRaw` with one column: its values, one per row.
    /// Only for columns whose values hold no newline (the JSON documents and ids stored here).
    /// - Throws: ``ClickHouseError``.
    func lines(_ sql: String) async throws -> [Substring] {
        let output = try await query(sql + " FORMAT TabSeparatedRaw")
        return String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
    }

    /// Inserts rows given as JSONEachRow text (one JSON object per line) into `table`, as one
    /// block: ClickHouse writes a block of up to `max_insert_block_size` (1,048,576) rows as
    /// one part, so the insert lands whole or not at all.
    /// - Throws: ``ClickHouseError``.
    func insert(into table: String, jsonRows: [UInt8]) async throws {
        _ = try await send(body: jsonRows, parameters: [
            ("database", location.database), ("query", "INSERT INTO \(table) FORMAT JSONEachRow"),
        ], resend: false)
    }

    /// - Parameter resend: whether the statement may run twice, so a request whose connection
    ///   closed under it is sent once more.
    private func send(body: [UInt8], parameters: [(String, String)], timeout: Int64? = nil, resend: Bool) async throws -> [UInt8] {
        var components = URLComponents(string: location.httpBase)!
        components.queryItems = (parameters + [
            ("wait_end_of_query", "1"), ("optimize_move_to_prewhere", "0"), ("max_query_size", "16777216"),
            ("output_format_json_quote_64bit_integers", "0"),
        ]).map { URLQueryItem(name: $0.0, value: $0.1) }
        var request = HTTPClientRequest(url: components.string!)
        request.method = .POST
        request.body = .bytes(ByteBuffer(bytes: body))
        if let user = location.user {
            let credentials = Data("\(user):\(location.password ?? "")".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        }
        let response: HTTPClientResponse
        let output: ByteBuffer
        let wait = TimeAmount.seconds(timeout ?? self.timeout)
        do {
            do {
                (response, output) = try await Self.exchange(request, timeout: wait)
            } catch let error where resend && Self.connectionClosed(error) {
                (response, output) = try await Self.exchange(request, timeout: wait)
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // Connection refused or reset, timeout, TLS: the request got no answer.
            throw ClickHouseError.unreachable("\(location.redacted): \(error)")
        }
        guard response.status == .ok else {
            let message = String(buffer: output).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ClickHouseError.server(status: Int(response.status.code), message: String(message.prefix(500)))
        }
        return Array(buffer: output)
    }

    private static func exchange(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> (HTTPClientResponse, ByteBuffer) {
        let response = try await http.execute(request, timeout: timeout)
        return (response, try await response.body.collect(upTo: 1 << 30))
    }

    /// Whether `error` says the connection closed under the request (the server's keep-alive
    /// ran out as it was reused), rather than a refusal or a timeout.
    static func connectionClosed(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError { return error == .remoteConnectionClosed }
        if let error = error as? ChannelError { return error == .ioOnClosedChannel || error == .eof }
        return false
    }
}
