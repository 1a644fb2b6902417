import FootfallCore
import FootfallStore
import Foundation
import Hummingbird

/// `GET /api/v1/events?site=&from=&to=`: a site's stored events (hot and compacted) in
/// (time, id) order as NDJSON, one JSON object per line with snake_case keys (scope `export:run`),
/// streamed batch by batch (``EventStream``): memory does not grow with the range.
struct EventRoutes: Sendable {
    let store: any AnalyticsStore

    /// Events encoded per written chunk.
    static let chunkSize = 500

    func register(on group: RouterGroup<FootfallRequestContext>) {
        group.get("events") { request, context in
            try await self.stream(request, context: context)
        }
    }

    func stream(_ request: Request, context: FootfallRequestContext) async throws -> Response {
        let access = try context.require(.exportRun)
        let query = APIQuery(request)
        let site = try await access.site(query.string("site"))
        let (from, to) = try query.timeRange()
        let stream = store.eventStream(siteID: site.id, from: from, to: to)
        let body = ResponseBody { writer in
            var events = stream
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            while let batch = try await events.nextBatch() {
                var start = 0
                while start < batch.count {
                    var buffer = ByteBuffer()
                    for event in batch[start..<min(start + Self.chunkSize, batch.count)] {
                        buffer.writeBytes(try encoder.encode(event))
                        buffer.writeInteger(UInt8(ascii: "\n"))
                    }
                    try await writer.write(buffer)
                    start += Self.chunkSize
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
    }
}
