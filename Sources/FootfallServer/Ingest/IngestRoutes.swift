import FootfallCore
import FootfallEnrich
import FootfallStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /e`: the beacon endpoint. Answers 202 only after the events are committed.
struct IngestRoutes: Sendable {
    let pipeline: IngestPipeline
    let writer: GroupCommitWriter
    let metrics: FootfallMetrics
    /// Peers whose `X-Forwarded-For` / `Forwarded` headers name the visitor.
    var proxies = TrustedProxies()
    let parser = BeaconParser()

    static let acceptedContentTypes = ["text/plain", "application/json"]
    static let doNotTrack = HTTPField.Name("DNT")!
    static let globalPrivacyControl = HTTPField.Name("Sec-GPC")!
    static let forwarded = HTTPField.Name("Forwarded")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func register(on router: Router<FootfallRequestContext>) {
        router.post("/e") { request, context in
            await self.ingest(request, context: context)
        }
        router.get("/e.gif") { request, context in
            await self.ingestPixel(request, context: context)
        }
        router.on("/e", method: .options) { _, _ in
            Response(status: .noContent, headers: [
                .accessControlAllowOrigin: "*", .accessControlAllowMethods: "POST",
                .accessControlAllowHeaders: "Content-Type", .accessControlMaxAge: "86400",
            ])
        }
    }

    func ingest(_ request: Request, context: FootfallRequestContext) async -> Response {
        await store(context: context, success: Response(status: .accepted, headers: [.accessControlAllowOrigin: "*"])) {
            try await self.accept(request, context: context)
        }
    }

    /// `GET /e.gif?s=…&u=…`: the image fallback for pages without JavaScript. Answers a
    /// transparent 1×1 GIF once the event is durable, or the same error statuses as `/e`.
    func ingestPixel(_ request: Request, context: FootfallRequestContext) async -> Response {
        let gif = Response(
            status: .ok, headers: [.contentType: "image/gif", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: Self.transparentGIF)))
        return await store(context: context, success: gif) {
            var items: [String: String] = [:]
            for (key, value) in request.uri.queryParameters where items[String(key)] == nil {
                items[String(key)] = String(value)
            }
            do {
                return try await self.enrich([try self.parser.parse(queryItems: items)], request: request, context: context)
            } catch let error as BeaconError {
                throw IngestError.invalidBeacon(error)
            }
        }
    }

    /// Commits the events `accept` yields and answers `success`, or maps the failure to
    /// its status in one place (counted in `footfall_beacons_rejected_total`).
    func store(
        context: FootfallRequestContext, success: Response, accept: () async throws -> [Event]
    ) async -> Response {
        do {
            let events = try await accept()
            if !events.isEmpty { try await commit(events) }
            return success
        } catch let error as IngestError {
            metrics.beaconRejected(reason: error.metricLabel)
            return error.response
        } catch {
            context.logger.error("ingest failed", metadata: ["error": "\(error)"])
            metrics.beaconRejected(reason: IngestError.unavailable.metricLabel)
            return IngestError.unavailable.response
        }
    }

    /// The smallest transparent 1×1 GIF.
    static let transparentGIF: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
    ]

    /// Validates and enriches a request into the events to store.
    func accept(_ request: Request, context: FootfallRequestContext) async throws -> [Event] {
        let mediaType = (request.headers[.contentType] ?? "text/plain")
            .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard Self.acceptedContentTypes.contains(mediaType) else {
            throw IngestError.unsupportedContentType(mediaType)
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > BeaconParser.maxBodyBytes {
            throw IngestError.bodyTooLarge
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: BeaconParser.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw IngestError.bodyTooLarge
        }
        let beacons: [Beacon]
        do {
            beacons = try parser.parse(Array(buffer: body))
        } catch {
            throw IngestError.invalidBeacon(error)
        }
        return try await enrich(beacons, request: request, context: context)
    }

    /// Runs the ingest pipeline over parsed beacons with what the request itself says.
    func enrich(_ beacons: [Beacon], request: Request, context: FootfallRequestContext) async throws -> [Event] {
        let beaconRequest = BeaconRequest(
            clientIP: proxies.clientAddress(
                peer: context.remoteAddress?.ipAddress.flatMap(IPAddress.init),
                forwarded: request.headers[values: Self.forwarded], forwardedFor: request.headers[values: Self.forwardedFor]),
            userAgent: request.headers[.userAgent] ?? "",
            optedOut: request.headers[Self.doNotTrack] == "1" || request.headers[Self.globalPrivacyControl] == "1",
            receivedAt: Timestamp.nowMs())
        for field in beacons.flatMap(\.shortenedFields) { metrics.urlShortened(field: field) }
        let outcome = try await pipeline.process(beacons, request: beaconRequest)
        for (reason, count) in outcome.dropped { metrics.eventDropped(reason: reason, count: count) }
        return outcome.events
    }

    func commit(_ events: [Event]) async throws {
        do {
            try await writer.submit(events)
        } catch WriterError.overloaded {
            throw IngestError.overloaded
        } catch WriterError.shuttingDown {
            throw IngestError.unavailable
        }
    }
}
