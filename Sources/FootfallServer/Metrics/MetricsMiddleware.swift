import Hummingbird

/// Counts every request by matched route and response status.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: FootfallMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.request(route: context.endpointPath ?? "unmatched", status: Int(response.status.code))
            return response
        } catch let error as any HTTPResponseError {
            metrics.request(route: context.endpointPath ?? "unmatched", status: Int(error.status.code))
            throw error
        } catch {
            metrics.request(route: context.endpointPath ?? "unmatched", status: 500)
            throw error
        }
    }
}
