import FootfallCore
import FootfallEnrich
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// The lean front end of `POST /e` and `GET /e.gif`: a channel handler in Hummingbird's
/// HTTP/1 pipeline (after HTTP parsing, before Hummingbird's request handling) that answers
/// beacons itself on the event loop and passes every other request on to Hummingbird.
///
/// Responses leave in request order: while one request (a beacon, or one Hummingbird is
/// answering) is unanswered, later pipelined requests wait here and the socket is not read
/// further, so memory per connection stays bounded.
final class BeaconChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    enum State {
        case idle
        /// Passing a request's parts to Hummingbird.
        case forwarding
        case collecting(BeaconIngest.Route, HTTPRequest, ByteBuffer, tooLarge: Bool)
        /// The beacon is complete; its reply is not written yet.
        case answering
    }

    let ingest: BeaconIngest
    private var state = State.idle
    /// Requests forwarded to Hummingbird whose response has not ended.
    private var forwardedInFlight = 0
    /// Parts of requests that arrived while an earlier one was unanswered.
    private var waiting: [HTTPRequestPart] = []
    private var readHeld = false

    init(ingest: BeaconIngest) {
        self.ingest = ingest
    }

    private var isBusy: Bool {
        if case .answering = state { return true }
        return forwardedInFlight > 0
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if !waiting.isEmpty || (isBusy && isHead(part)) {
            waiting.append(part)
            return
        }
        receive(part, context: context)
    }

    private func isHead(_ part: HTTPRequestPart) -> Bool {
        if case .head = part { return true }
        return false
    }

    private func receive(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch (state, part) {
        case (.idle, .head(let head)):
            guard let route = BeaconIngest.route(head) else {
                state = .forwarding
                forwardedInFlight += 1
                context.fireChannelRead(wrapInboundOut(part))
                return
            }
            var tooLarge = false
            do { try BeaconIngest.checkLength(head) } catch { tooLarge = true }
            state = .collecting(route, head, context.channel.allocator.buffer(capacity: 0), tooLarge: tooLarge)
        case (.forwarding, .end):
            state = .idle
            context.fireChannelRead(wrapInboundOut(part))
        case (.forwarding, _):
            context.fireChannelRead(wrapInboundOut(part))
        case (.collecting(let route, let head, var body, var tooLarge), .body(var chunk)):
            state = .answering  // drop the buffer's second reference while appending
            if !tooLarge && body.readableBytes + chunk.readableBytes <= BeaconParser.maxBodyBytes {
                body.writeBuffer(&chunk)
            } else {
                tooLarge = true
                body.clear()
            }
            state = .collecting(route, head, body, tooLarge: tooLarge)
        case (.collecting(let route, let head, let body, let tooLarge), .end):
            state = .answering
            answer(route, head: head, body: body, tooLarge: tooLarge, context: context)
        default:
            // A part out of order (a head before the previous request ended): HTTP parsing
            // does not produce this; close rather than guess.
            context.close(promise: nil)
        }
    }

    private func answer(_ route: BeaconIngest.Route, head: HTTPRequest, body: ByteBuffer, tooLarge: Bool, context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        let peer = context.channel.remoteAddress?.ipAddress.flatMap(IPAddress.init)
        let close = head.headerFields[.connection]?.lowercased() == "close"
        ingest.handle(route, head: head, body: body, tooLarge: tooLarge, peer: peer) { reply in
            loop.execute { bound.value.handler.write(reply, close: close, context: bound.value.context) }
        }
    }

    private func write(_ reply: BeaconReply, close: Bool, context: ChannelHandlerContext) {
        var head = HTTPResponse(status: reply.status, headerFields: reply.headers)
        if close { head.headerFields[.connection] = "close" }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if reply.body.readableBytes > 0 { context.write(wrapOutboundOut(.body(reply.body)), promise: nil) }
        if close {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
            return
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        state = .idle
        resume(context: context)
    }

    /// Hummingbird's responses pass here on their way out; the end of one frees the connection.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data) {
            forwardedInFlight -= 1
            resume(context: context)
        }
    }

    func read(context: ChannelHandlerContext) {
        if waiting.isEmpty {
            context.read()
        } else {
            readHeld = true
        }
    }

    /// Replays waiting parts until a request is unanswered again, then reads on.
    private func resume(context: ChannelHandlerContext) {
        var replayed = false
        defer {
            // Hummingbird's channel hands reads on at read-complete; replays happen outside a read.
            if replayed { context.fireChannelReadComplete() }
        }
        while !waiting.isEmpty {
            if isBusy, isHead(waiting[0]) { return }
            receive(waiting.removeFirst(), context: context)
            replayed = true
        }
        if readHeld {
            readHeld = false
            context.read()
        }
    }
}
