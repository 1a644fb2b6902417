import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOPosix

/// `footfall-bench http-floor PORT`: the HTTP floor of the ingest benchmark. A bare SwiftNIO
/// HTTP/1 server with the channel pipeline `footfall serve` puts beacons through (NIOHTTP1's
/// parser, the HTTP types codec, one handler on as many event loops as cores) that reads each
/// request's body and answers 202 with no work at all: no parsing, enrichment or storage.
/// `Benchmarks/ingest.sh` loads it with the same requests as Footfall and nginx, so the run
/// shows how much of nginx's rate Swift NIO alone reaches on this machine, and how much of
/// that Footfall keeps while doing its work. Serves on 127.0.0.1 until killed.
enum HTTPFloorServer {
    static func run(port: Int) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandlers([HTTP1ToHTTPServerCodec(secure: false), AcceptHandler()])
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        print("http-floor listening on 127.0.0.1:\(port)")
        try await channel.closeFuture.get()
    }

    /// Collects a request's body, then answers as Footfall's beacon endpoint does (202 +
    /// `Access-Control-Allow-Origin: *`).
    final class AcceptHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPRequestPart
        typealias OutboundOut = HTTPResponsePart

        private var body: ByteBuffer?

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head:
                body = context.channel.allocator.buffer(capacity: 0)
            case .body(var chunk):
                body?.writeBuffer(&chunk)
            case .end:
                body = nil
                let head = HTTPResponse(status: .accepted, headerFields: [.accessControlAllowOrigin: "*", .contentLength: "0"])
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
