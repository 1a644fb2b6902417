@testable import FootfallStore
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing

/// The ClickHouse client over real HTTP on loopback, against a server that closes a kept-alive
/// connection when it is reused: what clickhouse-server does when its `keep_alive_timeout`
/// runs out just as the client sends on the connection.
@Suite struct ClickHouseClientTests {
    /// Answers the first request of each connection with `1\n` (kept alive) and closes the
    /// connection, unanswered, on its second.
    final class FirstRequestOnly: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let answered = Mutex(0)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            guard answered.withLock({ count in count += 1; return count }) == 1 else {
                context.close(promise: nil)
                return
            }
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "2", "Connection": "keep-alive"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "1\n")))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    /// Runs `body` with a client of a server on a free loopback port; returns how many
    /// connections the server accepted.
    static func withClosingServer(_ body: (ClickHouseClient) async throws -> Void) async throws -> Int {
        let connections = Mutex(0)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                connections.withLock { $0 += 1 }
                return channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(FirstRequestOnly())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        do {
            try await body(ClickHouseClient(location: try ClickHouseLocation(url: "clickhouse://127.0.0.1:\(port)/footfall"), timeout: 10))
        } catch {
            try await server.close()
            throw error
        }
        try await server.close()
        return connections.withLock { $0 }
    }

    @Test func aReadWhoseKeptAliveConnectionClosesIsSentAgainOnANewOne() async throws {
        let connections = try await Self.withClosingServer { client in
            let first = try await client.lines("SELECT 1")
            // The second request reuses the first connection, which the server closes.
            let second = try await client.lines("SELECT 1")
            #expect(first == ["1"])
            #expect(second == ["1"])
        }
        #expect(connections == 2)
    }

    @Test func anInsertWhoseConnectionClosesFailsInsteadOfRunningTwice() async throws {
        let connections = try await Self.withClosingServer { client in
            try await client.execute("CREATE TABLE t (x UInt8) ENGINE = Memory")
            await #expect(throws: ClickHouseError.self) {
                try await client.insert(into: "t", jsonRows: Array("{\"x\":1}\n".utf8))
            }
        }
        #expect(connections == 1, "no second connection: the insert was not sent again")
    }
}
