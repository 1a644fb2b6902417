import FootfallCore
import FootfallEnrich
import FootfallStore
import Foundation
import HTTPTypes
import Logging
import NIOCore

/// What the beacon front end does with one complete `POST /e` or `GET /e.gif` request:
/// validate, parse, apply flood limits, run the ``IngestPipeline`` and hand the events to the
/// ``GroupCommitWriter`` — without a task per beacon: the answer comes through `respond`
/// once the commit holding the events is durable. Only a site or salt missing from memory
/// (first request of a site, settings refresh, a new day) costs a task.
struct BeaconIngest: Sendable {
    enum Route: Sendable {
        /// `POST /e` with a JSON body.
        case beacon
        /// `GET /e.gif?s=…&u=…`, the image fallback for pages without JavaScript.
        case pixel
    }

    let pipeline: IngestPipeline
    let writer: GroupCommitWriter
    let metrics: FootfallMetrics
    /// Peers whose `X-Forwarded-For` / `Forwarded` headers name the visitor.
    var proxies = TrustedProxies()
    var limits = FloodLimits()
    var logger = Logger(label: "footfall.ingest")
    let parser = BeaconParser()

    static let acceptedContentTypes = ["text/plain", "application/json"]
    static let doNotTrack = HTTPField.Name("DNT")!
    static let globalPrivacyControl = HTTPField.Name("Sec-GPC")!
    static let forwarded = HTTPField.Name("Forwarded")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// The route `head` asks for, or nil when Hummingbird serves it.
    static func route(_ head: HTTPRequest) -> Route? {
        switch head.method {
        case .post: head.path == "/e" ? .beacon : nil
        case .get: (head.path == "/e.gif" || head.path?.hasPrefix("/e.gif?") == true) ? .pixel : nil
        default: nil
        }
    }

    /// Refuses a body larger than the beacon limit before it is read.
    static func checkLength(_ head: HTTPRequest) throws(IngestError) {
        if let length = head.headerFields[.contentLength].flatMap(Int.init), length > BeaconParser.maxBodyBytes {
            throw .bodyTooLarge
        }
    }

    /// Answers one request through `respond` (called exactly once, on any thread).
    /// - Parameter tooLarge: the body exceeded ``BeaconParser/maxBodyBytes`` and was discarded.
    func handle(
        _ route: Route, head: HTTPRequest, body: ByteBuffer, tooLarge: Bool, peer: IPAddress?,
        respond: @escaping @Sendable (BeaconReply) -> Void
    ) {
        let success: BeaconReply = route == .beacon ? .accepted : .pixel
        let fail: @Sendable (any Error) -> Void = { error in respond(self.reply(for: error)) }
        do {
            if tooLarge { throw IngestError.bodyTooLarge }
            let request = beaconRequest(head, peer: peer)
            let beacons = try parse(route, head: head, body: body)
            for field in beacons.flatMap(\.shortenedFields) { metrics.urlShortened(field: field) }
            if let wait = limits.admit(
                ip: request.clientIP?.description ?? "", siteKey: beacons[0].siteKey,
                now: Double(DispatchTime.now().uptimeNanoseconds) / 1e9) {
                throw IngestError.tooManyRequests(retryAfter: wait)
            }
            if let outcome = try pipeline.processCached(beacons, request: request) {
                commit(outcome.events, success: success, respond: respond, fail: fail)
            } else {
                Task {
                    do {
                        let outcome = try await pipeline.process(beacons, request: request)
                        commit(outcome.events, success: success, respond: respond, fail: fail)
                    } catch {
                        fail(error)
                    }
                }
            }
        } catch {
            fail(error)
        }
    }

    func commit(
        _ events: [Event], success: BeaconReply, respond: @escaping @Sendable (BeaconReply) -> Void,
        fail: @escaping @Sendable (any Error) -> Void
    ) {
        guard !events.isEmpty else { return respond(success) }
        do {
            try writer.enqueue(events) { result in
                switch result {
                case .success: respond(success)
                case .failure(let error): fail(error)
                }
            }
        } catch {
            fail(error)
        }
    }

    /// The one place errors become statuses (counted in `footfall_beacons_rejected_total`).
    func reply(for error: any Error) -> BeaconReply {
        let ingestError: IngestError
        switch error {
        case let error as IngestError: ingestError = error
        case let error as BeaconError: ingestError = .invalidBeacon(error)
        case let error as WriterError: ingestError = error == .overloaded ? .overloaded : .unavailable
        default:
            logger.error("storing beacons failed, answering 503 (nothing acknowledged is lost)", metadata: ["error": "\(error)"])
            ingestError = .unavailable
        }
        metrics.beaconRejected(reason: ingestError.metricLabel)
        return ingestError.reply
    }

    /// The media type of a `Content-Type` value: lower-cased, without its parameters and the
    /// spaces or tabs around it (RFC 9110 §8.3.1 and §5.6.3), e.g. `text/plain` of
    /// `Text/Plain; charset=UTF-8`.
    static func mediaType(of contentType: String) -> String {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        while let first = type.first, isSpace(first) { type = type.dropFirst() }
        while let last = type.last, isSpace(last) { type = type.dropLast() }
        return Substring(type).lowercased()
    }

    func parse(_ route: Route, head: HTTPRequest, body: ByteBuffer) throws -> [Beacon] {
        switch route {
        case .beacon:
            let mediaType = Self.mediaType(of: head.headerFields[.contentType] ?? "text/plain")
            guard Self.acceptedContentTypes.contains(mediaType) else { throw IngestError.unsupportedContentType(mediaType) }
            return try parser.parse(Array(body.readableBytesView))
        case .pixel:
            var items: [String: String] = [:]
            for item in URLComponents(string: head.path ?? "")?.queryItems ?? [] where items[item.name] == nil {
                items[item.name] = item.value ?? ""
            }
            return [try parser.parse(queryItems: items)]
        }
    }

    /// What the request itself says about the visitor.
    func beaconRequest(_ head: HTTPRequest, peer: IPAddress?) -> BeaconRequest {
        let fields = head.headerFields
        return BeaconRequest(
            clientIP: proxies.clientAddress(
                peer: peer, forwarded: fields[values: Self.forwarded], forwardedFor: fields[values: Self.forwardedFor]),
            userAgent: fields[.userAgent] ?? "",
            optedOut: fields[Self.doNotTrack] == "1" || fields[Self.globalPrivacyControl] == "1",
            receivedAt: Timestamp.nowMs())
    }
}
