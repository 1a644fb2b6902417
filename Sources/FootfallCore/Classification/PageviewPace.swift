/// Detects "impossible timing": one visitor loading pages faster than a person can read them.
///
/// A person needs at least a few seconds per page; scrapers that run a real browser (and so
/// pass the User-Agent and JavaScript checks) fetch many pages a second. A visitor is judged
/// a bot once more than ``maxPageviews`` page views arrive within ``window`` milliseconds.
/// Memory is bounded: two generations of at most `capacity` visitors, like ``UserAgentClassifier``'s cache.
public struct PageviewPace: Sendable {
    /// Page views a person can plausibly produce within ``window`` (tabs opened in bulk included).
    public let maxPageviews: Int
    /// Length of the sliding window, milliseconds.
    public let window: Int64
    let capacity: Int

    private struct Recent {
        /// Receive times of the last page views, oldest first, at most `maxPageviews + 1`.
        var times: [Int64]
    }

    private var current: [VisitorID: Recent] = [:]
    private var previous: [VisitorID: Recent] = [:]

    /// - Parameters:
    ///   - maxPageviews: the most page views allowed within `window`.
    ///   - window: the window length in milliseconds.
    ///   - capacity: visitors remembered per generation.
    public init(maxPageviews: Int = 20, window: Int64 = 10_000, capacity: Int = 50_000) {
        precondition(maxPageviews > 0 && window > 0 && capacity > 0)
        self.maxPageviews = maxPageviews
        self.window = window
        self.capacity = capacity
    }

    /// Records `pageviews` page views of `visitor` received at `atMs`; true when the visitor
    /// is now over the limit.
    public mutating func record(visitor: VisitorID, pageviews: Int, atMs: Int64) -> Bool {
        guard pageviews > 0 else { return false }
        var recent = current[visitor] ?? previous.removeValue(forKey: visitor) ?? Recent(times: [])
        recent.times.append(contentsOf: repeatElement(atMs, count: min(pageviews, maxPageviews + 1)))
        recent.times.removeAll { $0 <= atMs - window }
        if recent.times.count > maxPageviews + 1 { recent.times.removeFirst(recent.times.count - maxPageviews - 1) }
        current[visitor] = recent
        if current.count >= capacity {
            previous = current
            current = [:]
        }
        return recent.times.count > maxPageviews
    }
}
