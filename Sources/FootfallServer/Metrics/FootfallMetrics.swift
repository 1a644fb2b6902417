import Prometheus

/// The server's Prometheus metrics, rendered at `/metrics`.
///
/// Every way a beacon can fail to become a stored event has a reason label here, so an
/// operator can see why traffic is missing.
public final class FootfallMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let eventsAccepted: Counter
    let eventsDuplicate: Counter
    let queueDepth: Gauge
    let openVisits: Gauge
    let heldEvents: Gauge
    let releasedVisits: Counter
    let commitDuration: DurationHistogram

    public init() {
        eventsAccepted = registry.makeCounter(
            descriptor: .init(namespace: "footfall", metricName: "events_accepted", unitName: "total", helpText: "Events durably stored."))
        eventsDuplicate = registry.makeCounter(
            descriptor: .init(namespace: "footfall", metricName: "events_duplicate", unitName: "total", helpText: "Events skipped because their id was already stored."))
        queueDepth = registry.makeGauge(
            descriptor: .init(namespace: "footfall", metricName: "ingest_queue", unitName: "depth", helpText: "Events waiting for a commit."))
        openVisits = registry.makeGauge(
            descriptor: .init(namespace: "footfall", metricName: "sessionizer_open_visits", unitName: "", helpText: "Visits not yet final, held in memory (updated each minute)."))
        heldEvents = registry.makeGauge(
            descriptor: .init(namespace: "footfall", metricName: "sessionizer_held_events", unitName: "", helpText: "Events held in memory to re-derive open visits (updated each minute)."))
        releasedVisits = registry.makeCounter(
            descriptor: .init(namespace: "footfall", metricName: "sessionizer_released_visits", unitName: "total", helpText: "Visits closed before they were final because the sessionizer held its most events (serve --max-held-events); updated each minute."))
        commitDuration = registry.makeDurationHistogram(
            descriptor: .init(namespace: "footfall", metricName: "commit_duration", unitName: "seconds", helpText: "Time to commit one group of events."), buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                      .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1)])
    }

    /// Counts an event that was received but deliberately not stored.
    func eventDropped(reason: DropReason, count: Int = 1) {
        registry.makeCounter(
            descriptor: .init(namespace: "footfall", metricName: "events_dropped", unitName: "total", helpText: "Events received but not stored, by reason."), labels: [("reason", reason.rawValue)]
        ).increment(by: Int64(count))
    }

    /// Counts events a site's shields dropped, per site key and `shield_*` reason.
    func shieldDropped(siteKey: String, reason: DropReason, count: Int) {
        registry.makeCounter(
            descriptor: .init(namespace: "footfall", metricName: "shield_dropped", unitName: "total", helpText: "Events dropped by a site's shields, by site and reason."), labels: [("site", siteKey), ("reason", reason.rawValue)]
        ).increment(by: Int64(count))
    }

    /// Counts a URL field (`u`, `r`, `ct`) that arrived too long and was shortened, not refused.
    func urlShortened(field: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "footfall", metricName: "urls_shortened", unitName: "total", helpText: "Over-long URLs shortened to origin, path and marketing parameters, by beacon field."), labels: [("field", field)]
        ).increment()
    }

    /// Counts a beacon request refused with an error status.
    func beaconRejected(reason: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "footfall", metricName: "beacons_rejected", unitName: "total", helpText: "Beacon requests answered with an error, by reason."), labels: [("reason", reason)]
        ).increment()
    }

    /// Counts one HTTP request by route and status code.
    func request(route: String, status: Int) {
        registry.makeCounter(
            descriptor: .init(namespace: "footfall", metricName: "http_requests", unitName: "total", helpText: "HTTP requests by route and status."), labels: [("route", route), ("status", String(status))]
        ).increment()
    }

    /// Records one group commit.
    func committed(events: Int, inserted: Int, seconds: Double) {
        eventsAccepted.increment(by: Int64(inserted))
        eventsDuplicate.increment(by: Int64(events - inserted))
        commitDuration.record(.nanoseconds(Int64(seconds * 1e9)))
    }

    /// The exposition text.
    public func render() -> String { registry.emitToString() }
}
