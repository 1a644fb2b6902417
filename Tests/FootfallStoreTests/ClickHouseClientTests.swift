@testable import FootfallStore
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing

/// The ClickHouse client over real HTTP on loopback, against a server that closes the
/// connection of its second request unanswered: what clickhouse-server does when its
/// `keep_alive_timeout` runs out just as the client sends on a kept-alive connection. The
/// server counts requests, not connections, so the tests hold whether or not the client's
/// pool reuses the first connection.
@Suite struct ClickHouseClientTests {
    /// Answers every request with `1\n` (kept alive), except the second the server receives,
    /// whose connection it closes unanswered. One instance serves every connection, so the
    /// count is the server's.
    final class SecondRequestDropped: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let requests = Mutex(0)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            guard requests.withLock({ count in count += 1; return count }) != 2 else {
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
    /// requests the server received.
    static func withClosingServer(_ body: (ClickHouseClient) async throws -> Void) async throws -> Int {
        let handler = SecondRequestDropped()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(handler)
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
        return handler.requests.withLock { $0 }
    }

    @Test func aReadWhoseConnectionClosesIsSentAgain() async throws {
        let requests = try await Self.withClosingServer { client in
            let first = try await client.lines("SELECT 1")
            // The server closes the second request's connection unanswered.
            let second = try await client.lines("SELECT 1")
            #expect(first == ["1"])
            #expect(second == ["1"])
        }
        #expect(requests == 3, "the dropped read was sent once more")
    }

    @Test func anInsertWhoseConnectionClosesFailsInsteadOfRunningTwice() async throws {
        let requests = try await Self.withClosingServer { client in
            try await client.execute("CREATE TABLE t (x UInt8) ENGINE = Memory")
            await #expect(throws: ClickHouseError.self) {
                try await client.insert(into: "t", jsonRows: Array("{\"x\":1}\n".utf8))
            }
        }
        #expect(requests == 2, "the insert was not sent again")
    }
}
