/// An event as the ``Sessionizer`` folds it: only the fields visits are made of. Its visitor
/// and site are the key it is held under. A page view's (or geolocation reading's)
/// User-Agent, traffic source and network are held once per run of a visitor's events that
/// share them; other beacons hold none, nor a path or referrer, as no visit takes them from
/// a beacon. The full URL, screen, language, time zone, click target, custom event and
/// geolocation stay in the event log. The live sessionizer holds it (encoded, in
/// ``HeldEvents``) until its visit is final (``Sessionizer/Configuration/finalCutoff(now:)``,
/// 95 minutes after its visit's last event by default) or the sessionizer is full
/// (``Sessionizer/Configuration/maxHeldEvents``).
struct FoldedEvent: Sendable {
    var id: String
    var type: EventType
    /// Server receive time, milliseconds since the epoch.
    var timestamp: Int64
    /// The page path and referrer of a page view; empty for other events.
    var path: String
    var referrer: String
    /// The numbers of ``path`` and ``referrer`` among the ``Interner``'s texts.
    var pathNumber: UInt32
    var referrerNumber: UInt32
    var pageLoadID: String
    var engagedMs: Int64
    var maxScrollPercent: Int
    /// The context a page view starts or continues a visit with, or a geolocation reading
    /// places it with; nil for other events.
    let context: EventContext?

    init(
        id: String, type: EventType, timestamp: Int64, path: String, pathNumber: UInt32, referrer: String,
        referrerNumber: UInt32, pageLoadID: String, engagedMs: Int64, maxScrollPercent: Int, context: EventContext?
    ) {
        self.id = id
        self.type = type
        self.timestamp = timestamp
        self.path = path
        self.pathNumber = pathNumber
        self.referrer = referrer
        self.referrerNumber = referrerNumber
        self.pageLoadID = pageLoadID
        self.engagedMs = engagedMs
        self.maxScrollPercent = maxScrollPercent
        self.context = context
    }

    /// - Parameters:
    ///   - previous: the context of an earlier event of the same visitor, reused when equal
    ///     to this event's.
    ///   - interner: where a new context's parts and the path and referrer come from.
    init(_ event: Event, sharing previous: EventContext? = nil, interner: inout Interner) {
        id = event.id
        type = event.type
        timestamp = event.timestamp
        pageLoadID = event.pageLoadID
        engagedMs = event.engagedMs
        maxScrollPercent = event.maxScrollPercent
        guard event.type == .pageview || event.type == .geo else {
            path = ""
            referrer = ""
            pathNumber = Interner.emptyTextNumber
            referrerNumber = Interner.emptyTextNumber
            context = nil
            return
        }
        pathNumber = interner.textNumber(event.path)
        path = interner.text(pathNumber)
        referrerNumber = interner.textNumber(event.referrer)
        referrer = interner.text(referrerNumber)
        if let shared = previous, shared.matches(event) {
            context = shared
        } else {
            context = interner.context(for: event)
        }
    }
}

extension [FoldedEvent] {
    /// The context of the latest page view or geolocation reading among a visitor's events
    /// (beacons hold none): the one its next event shares when equal.
    var lastContext: EventContext? { last { $0.context != nil }?.context }
}
