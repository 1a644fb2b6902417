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
        router.on("/e", method: .options) { _, _ in
            Response(status: .noContent, headers: [
                .accessControlAllowOrigin: "*", .accessControlAllowMethods: "POST",
                .accessControlAllowHeaders: "Content-Type", .accessControlMaxAge: "86400",
            ])
        }
    }

    func ingest(_ request: Request, context: FootfallRequestContext) async -> Response {
        do {
            let events = try await accept(request, context: context)
            if !events.isEmpty { try await commit(events) }
            return Response(status: .accepted, headers: [.accessControlAllowOrigin: "*"])
        } catch let error as IngestError {
            metrics.beaconRejected(reason: error.metricLabel)
            return error.response
        } catch {
            context.logger.error("ingest failed", metadata: ["error": "\(error)"])
            metrics.beaconRejected(reason: IngestError.unavailable.metricLabel)
            return IngestError.unavailable.response
        }
    }

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
        let beaconRequest = BeaconRequest(
            clientIP: proxies.clientAddress(
                peer: context.remoteAddress?.ipAddress.flatMap(IPAddress.init),
                forwarded: request.headers[values: Self.forwarded], forwardedFor: request.headers[values: Self.forwardedFor]),
            userAgent: request.headers[.userAgent] ?? "",
            optedOut: request.headers[Self.doNotTrack] == "1" || request.headers[Self.globalPrivacyControl] == "1",
            receivedAt: Timestamp.nowMs())
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
