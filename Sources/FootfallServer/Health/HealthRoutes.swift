import FootfallStore
import Hummingbird

/// `GET /healthz` (liveness plus queue depth) and `GET /metrics` (Prometheus text).
struct HealthRoutes: Sendable {
    let metrics: FootfallMetrics
    let writer: GroupCommitWriter

    func register(on router: Router<FootfallRequestContext>) {
        router.get("/healthz") { _, _ in
            let depth = self.writer.depth
            return try JSONResponse.make(["status": "ok", "ingest_queue_depth": "\(depth)"])
        }
        router.get("/metrics") { _, _ in
            self.metrics.queueDepth.set(Double(self.writer.depth))
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: self.metrics.render())))
        }
    }
}
