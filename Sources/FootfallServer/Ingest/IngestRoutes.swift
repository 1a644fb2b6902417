import Hummingbird

/// The CORS preflight of `POST /e`; the beacon requests themselves are answered by
/// ``BeaconChannelHandler`` before they reach the router.
struct IngestRoutes: Sendable {
    func register(on router: Router<FootfallRequestContext>) {
        router.on("/e", method: .options) { _, _ in
            Response(status: .noContent, headers: [
                .accessControlAllowOrigin: "*", .accessControlAllowMethods: "POST",
                .accessControlAllowHeaders: "Content-Type", .accessControlMaxAge: "86400",
            ])
        }
    }
}
