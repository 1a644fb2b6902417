/// Folds a stream of events into visits, tolerating real-world disorder.
///
/// Events of one visitor on one site form a visit until ``Configuration/inactivityMs`` pass
/// without an event, or a page view arrives with a different campaign or external source.
/// Engagement and click beacons join the page view with the same page load id, even when
/// they arrive after the inactivity timeout (beacons sent on `pagehide`).
///
/// The result is defined by the events alone, never by their arrival order: visits are the
/// ordered fold (``visits(from:configuration:)``) of a visitor's events sorted by time and id,
/// and a visit's id is a hash of its first event. Live sessionizing keeps the events of each
/// visitor's open visits, so an event arriving out of order (within
/// ``Configuration/latenessMs``) re-derives that visitor's visits; visits it replaces are
/// reported as removed. A duplicate event id is ignored.
public struct Sessionizer: Sendable {
    /// Sessionizing rules.
    public struct Configuration: Sendable, Equatable {
        /// Inactivity that ends a visit, milliseconds (default 30 minutes).
        public var inactivityMs: Int64
        /// How much later than its timestamp an event may arrive and still fold exactly as if
        /// it had arrived in order, milliseconds (default 5 minutes).
        public var latenessMs: Int64
        /// How long after a visit's last event an engagement or click beacon about one of its
        /// pages (sent on `pagehide`, possibly from a tab left open) still joins it,
        /// milliseconds (default 60 minutes). Later beacons stay in the event log only.
        public var pagehideWindowMs: Int64
        /// Most events held in memory (default 1,000,000; about 0.3 KB each when visitors view
        /// a few pages, up to 0.75 KB when every page view starts a visit). Past it, the
        /// visitors idle longest are released (their visits closed early) until 90% of it is
        /// held: a beacon arriving later for one of their pages joins no visit, and a page view
        /// of a released visitor within the inactivity timeout starts a new visit.
        /// ``Sessionizer/takeReleasedVisitCount()`` counts the visits so closed.
        public var maxHeldEvents: Int

        public init(
            inactivityMs: Int64 = 30 * 60 * 1000, latenessMs: Int64 = 5 * 60 * 1000, pagehideWindowMs: Int64 = 60 * 60 * 1000,
            maxHeldEvents: Int = 1_000_000
        ) {
            self.inactivityMs = inactivityMs
            self.latenessMs = latenessMs
            self.pagehideWindowMs = pagehideWindowMs
            self.maxHeldEvents = maxHeldEvents
        }

        /// Visits that ended before this time at `now` are final: no event that could still
        /// arrive (continuing it, or a beacon about its pages) can change them. Only final
        /// visits are compacted.
        public func finalCutoff(now: Int64) -> Int64 { now - max(inactivityMs, pagehideWindowMs) - latenessMs }
    }

    /// What one ingested event changed: visits to (re)write and visit ids that no longer exist.
    public struct Changes: Sendable, Equatable {
        public var upserted: [Visit] = []
        public var removed: [Int64] = []

        public init(upserted: [Visit] = [], removed: [Int64] = []) {
            self.upserted = upserted
            self.removed = removed
        }
    }

    struct VisitorKey: Hashable, Sendable {
        var siteID: Int64
        var visitorID: VisitorID
    }

    /// The live state of one visitor: its events in (time, id) order and the visits they fold into.
    struct VisitorState: Sendable {
        /// Most events whose ids are found by scanning ``events``; past it they are also kept
        /// in ``eventIDs``. Most visitors hold a few events, and a set of a few ids weighs more
        /// than scanning them costs (heaptrack, the ingest bench: sets were 45 bytes per held
        /// event); a visitor that holds many (an office behind one address) keeps lookups O(1).
        static let idScanLimit = 32

        var events = HeldEvents()
        /// The ids of ``events`` once there are more than ``idScanLimit`` of them, else nil.
        var eventIDs: Set<String>?
        var visits: [Visit] = []

        /// Records `id` as held (the caller then adds its event to ``events``).
        /// - Returns: false when an event with that id is already held.
        mutating func admit(_ id: String) -> Bool {
            if eventIDs != nil { return eventIDs!.insert(id).inserted }
            guard !events.contains(id: id) else { return false }
            if events.count >= Self.idScanLimit { eventIDs = Set(events.ids + [id]) }
            return true
        }

        /// Rebuilds ``eventIDs`` after ``events`` shrank.
        mutating func reindex() {
            eventIDs = events.count > Self.idScanLimit ? Set(events.ids) : nil
        }
    }

    public let configuration: Configuration
    private var visitors: [VisitorKey: VisitorState] = [:]
    /// The shared parts of the held events and open visits.
    private(set) var interner = Interner()
    /// Number of events held for open visits and for page views still to come.
    public private(set) var heldEventCount = 0
    /// Visits closed before they were final because the sessionizer was full
    /// (``Configuration/maxHeldEvents``), since the last ``takeReleasedVisitCount()``.
    private var releasedVisitCount = 0

    /// Creates a sessionizer that continues from the stored events of open visits.
    public init(configuration: Configuration = .init(), events: [Event] = []) {
        self.configuration = configuration
        // The fold order (``precedes(_:_:)``), so each event is folded in order.
        for event in events.sorted(by: { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }) { _ = ingestLocating(event) }
        releaseLongestIdleWhenFull()
    }

    /// Number of visits currently open.
    public var openVisitCount: Int { visitors.values.reduce(0) { $0 + $1.visits.count } }

    /// Folds one event into the visits of its visitor.
    /// - Returns: the visits to write and the ids of visits the event merged away or split.
    public mutating func ingest(_ event: Event) -> Changes {
        defer { releaseLongestIdleWhenFull() }
        return ingestLocating(event).changes
    }

    /// Folds one event and returns the visit that now holds it, nil when the event belongs
    /// to no visit (a beacon whose page is unknown or too old). ``ingest(_:)`` is what stores use.
    public mutating func fold(_ event: Event) -> Visit? {
        defer { releaseLongestIdleWhenFull() }
        return ingestLocating(event).visit
    }

    private mutating func ingestLocating(_ event: Event) -> (changes: Changes, visit: Visit?) {
        let key = VisitorKey(siteID: event.siteID, visitorID: event.visitorID)
        var state = visitors.removeValue(forKey: key) ?? VisitorState()
        defer { visitors[key] = state }
        let event = FoldedEvent(event, sharing: state.events.lastContext, interner: &interner)
        guard state.admit(event.id) else {
            let holder = state.visits.first { $0.startedAt <= event.timestamp && event.timestamp <= $0.endedAt }
            return (Changes(), holder ?? state.visits.last)
        }
        if state.events.lastFollows(event) || Self.hasEarlyBeacons(for: event, in: state.events) {
            // Out of order, or a page view whose own beacons won the race to the server:
            // re-derive this visitor's visits from its events.
            var events = state.events.decoded(texts: interner)
            let index = events.firstIndex { Self.precedes(event, $0) } ?? events.endIndex
            events.insert(event, at: index)
            state.events = HeldEvents(events)
            heldEventCount += 1
            var folder = Folder(configuration: configuration, visitor: key)
            var holder: Int?
            for each in Self.joiningBeaconsToTheirViews(events) {
                let position = folder.fold(each)
                if each.id == event.id { holder = position }
            }
            let before = Dictionary(state.visits.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let after = folder.visits
            var changes = Changes()
            let afterIDs = Set(after.map(\.id))
            changes.removed = state.visits.map(\.id).filter { !afterIDs.contains($0) }
            changes.upserted = after.filter { before[$0.id] != $0 }
            state.visits = after
            return (changes, holder.map { after[$0] })
        }
        state.events.append(event)
        heldEventCount += 1
        var folder = Folder(configuration: configuration, visitor: key, visits: state.visits)
        state.visits = []  // the folder's copy is the only one, so folding does not copy pages
        defer { state.visits = folder.visits }
        guard let position = folder.fold(event) else { return (Changes(), nil) }
        return (Changes(upserted: [folder.visits[position]]), folder.visits[position])
    }

    /// Closes and returns the visits that are final at `now` (idle for longer than the
    /// inactivity timeout plus the lateness window), releasing their events, and releases
    /// events older than the final cutoff that joined no visit (beacons of a page load never
    /// seen): no event that can still arrive folds with either. Then forgets the shared
    /// context parts, paths and referrers nothing held uses (``Interner``), a pass over every
    /// held event.
    public mutating func closeIdle(now: Int64) -> [Visit] {
        let cutoff = configuration.finalCutoff(now: now)
        var closed: [Visit] = []
        for (key, state) in visitors {
            let final = state.visits.filter { $0.endedAt < cutoff }
            // Page views before the first open visit belong to final visits. Beacons there are
            // kept when they belong to an open visit (stamped before its page view: they won the
            // race to the server) or may still: they joined no visit yet and are recent enough
            // for a page view to come to join them.
            let keepFrom = state.visits.first(where: { $0.endedAt >= cutoff })?.startedAt ?? cutoff
            guard !final.isEmpty || (state.events.firstTimestamp.map { $0 < keepFrom } ?? false) else { continue }
            closed += final
            var trimmed = state
            trimmed.visits.removeAll { $0.endedAt < cutoff }
            let open = trimmed.visits
            trimmed.events.removeAll(before: keepFrom) { pageLoadID, timestamp in
                if open.contains(where: { $0.pages.contains { $0.pageLoadID == pageLoadID } }) { return true }
                return timestamp >= cutoff && !final.contains { $0.pages.contains { $0.pageLoadID == pageLoadID } }
            }
            heldEventCount -= state.events.count - trimmed.events.count
            guard !trimmed.events.isEmpty else {
                visitors[key] = nil
                continue
            }
            trimmed.reindex()
            visitors[key] = trimmed
        }
        var usedTexts = [Bool](repeating: false, count: interner.textNumberLimit)
        for state in visitors.values { state.events.markTexts(&usedTexts) }
        interner.releaseUnused(keepingTexts: usedTexts)
        return closed.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    /// Returns the number of visits closed before they were final because the sessionizer
    /// was full (``Configuration/maxHeldEvents``) since the last call, and starts counting anew.
    public mutating func takeReleasedVisitCount() -> Int {
        defer { releasedVisitCount = 0 }
        return releasedVisitCount
    }

    /// Past ``Configuration/maxHeldEvents``, releases whole visitors, the longest idle (by
    /// their last event) first, until at most 90% of it is held, so a burst of visitors
    /// cannot grow memory without bound. Sorting every visitor is paid once per tenth of the
    /// cap of events.
    private mutating func releaseLongestIdleWhenFull() {
        guard heldEventCount > configuration.maxHeldEvents else { return }
        let target = configuration.maxHeldEvents - configuration.maxHeldEvents / 10
        let byIdle = visitors.map { (key: $0.key, lastSeen: $0.value.events.isEmpty ? .min : $0.value.events.lastTimestamp) }
            .sorted { $0.lastSeen < $1.lastSeen }
        for visitor in byIdle {
            guard heldEventCount > target else { break }
            guard let state = visitors.removeValue(forKey: visitor.key) else { continue }
            heldEventCount -= state.events.count
            releasedVisitCount += state.visits.count
        }
    }

    /// Derives visits from a complete set of events, in any order: the same visits live
    /// sessionizing produces. Duplicate event ids count once.
    public static func visits(from events: [Event], configuration: Configuration = .init()) -> [Visit] {
        var byVisitor: [VisitorKey: [FoldedEvent]] = [:]
        var interner = Interner()
        for event in events {
            let key = VisitorKey(siteID: event.siteID, visitorID: event.visitorID)
            let folded = FoldedEvent(event, sharing: byVisitor[key]?.lastContext, interner: &interner)
            byVisitor[key, default: []].append(folded)
        }
        var result: [Visit] = []
        for (key, var visitorEvents) in byVisitor {
            visitorEvents.sort(by: precedes)
            var unique: [FoldedEvent] = []
            for event in visitorEvents where event.id != unique.last?.id { unique.append(event) }
            var folder = Folder(configuration: configuration, visitor: key)
            for event in joiningBeaconsToTheirViews(unique) { _ = folder.fold(event) }
            result += folder.visits
        }
        return result.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    /// How much earlier than its page view a beacon of the same page load may be stamped
    /// and still be treated as racing it (two requests from one page reaching the server
    /// in the other order), milliseconds.
    public static let raceSkewMs: Int64 = 60_000

    /// `events` (sorted by ``precedes(_:_:)``) with each engagement/click/custom/geo beacon
    /// that was stamped before its own page view moved right after that view, so it joins
    /// the view instead of being dropped as a beacon of an unknown page.
    static func joiningBeaconsToTheirViews(_ events: [FoldedEvent]) -> [FoldedEvent] {
        var viewedAt: [String: Int64] = [:]
        for event in events where event.type == .pageview && !event.pageLoadID.isEmpty && viewedAt[event.pageLoadID] == nil {
            viewedAt[event.pageLoadID] = event.timestamp
        }
        guard !viewedAt.isEmpty else { return events }
        var waiting: [String: [FoldedEvent]] = [:]
        var ordered: [FoldedEvent] = []
        ordered.reserveCapacity(events.count)
        for event in events {
            if event.type != .pageview, let viewTime = viewedAt[event.pageLoadID], viewTime - event.timestamp <= raceSkewMs {
                // Its view is still ahead in the list (seen views are removed below).
                waiting[event.pageLoadID, default: []].append(event)
                continue
            }
            ordered.append(event)
            if event.type == .pageview, viewedAt.removeValue(forKey: event.pageLoadID) != nil,
               let early = waiting.removeValue(forKey: event.pageLoadID) {
                ordered += early
            }
        }
        return ordered
    }

    /// Whether `pageview` is the first view of its page load while beacons of that page
    /// load are already held (they won the race to the server).
    static func hasEarlyBeacons(for pageview: FoldedEvent, in events: HeldEvents) -> Bool {
        guard pageview.type == .pageview, !pageview.pageLoadID.isEmpty else { return false }
        return events.holdsOnlyBeacons(of: pageview.pageLoadID)
    }

    /// The one order events are folded in: time, then event id.
    static func precedes(_ lhs: FoldedEvent, _ rhs: FoldedEvent) -> Bool {
        (lhs.timestamp, lhs.id) < (rhs.timestamp, rhs.id)
    }

    /// A stable visit id: FNV-1a over the site id and the visit's first event id.
    static func visitID(siteID: Int64, firstEventID: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        withUnsafeBytes(of: siteID.littleEndian) { bytes in
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        for byte in firstEventID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: hash & 0x7fff_ffff_ffff_ffff)
    }
}

/// The ordered fold of one visitor's events (sorted by time and id) into visits.
struct Folder {
    let configuration: Sessionizer.Configuration
    let visitor: Sessionizer.VisitorKey
    var visits: [Visit]

    init(configuration: Sessionizer.Configuration, visitor: Sessionizer.VisitorKey, visits: [Visit] = []) {
        self.configuration = configuration
        self.visitor = visitor
        self.visits = visits
    }

    /// Folds the next event (never earlier than the previous one) and returns the index of
    /// the visit that holds it, or nil when it belongs to none.
    mutating func fold(_ event: FoldedEvent) -> Int? {
        if event.type != .pageview, !event.pageLoadID.isEmpty {
            // A beacon about a page joins that page's visit and no other (pagehide beacons
            // come late); one whose page is unknown or long gone joins nothing, whatever else
            // the visitor is doing. It extends only the latest visit, so visits never overlap.
            guard let index = visits.lastIndex(where: { $0.pages.contains { $0.pageLoadID == event.pageLoadID } }),
                  event.timestamp <= visits[index].endedAt + configuration.pagehideWindowMs
            else { return nil }
            let extends = index == visits.count - 1 && event.timestamp <= visits[index].endedAt + configuration.inactivityMs
            Self.apply(event, to: &visits[index], extendingEnd: extends)
            return index
        }
        if let last = visits.indices.last, continues(visits[last], with: event) {
            Self.apply(event, to: &visits[last], extendingEnd: true)
            return last
        }
        // Visits are made of page views: a beacon with no page to join starts none.
        guard event.type == .pageview, let context = event.context else { return nil }
        var visit = Visit(
            id: Sessionizer.visitID(siteID: visitor.siteID, firstEventID: event.id), siteID: visitor.siteID,
            visitorID: visitor.visitorID, startedAt: event.timestamp, endedAt: event.timestamp,
            referrer: event.referrer, context: context)
        Self.apply(event, to: &visit, extendingEnd: true)
        visits.append(visit)
        return visits.count - 1
    }

    func continues(_ visit: Visit, with event: FoldedEvent) -> Bool {
        guard event.timestamp <= visit.endedAt + configuration.inactivityMs else { return false }
        guard event.type == .pageview, let arrival = event.context?.source else { return true }
        if !arrival.campaign.isEmpty && arrival.campaign != visit.source.campaign { return false }
        let external = arrival.medium != .internal && arrival.medium != .direct
        return !(external && !arrival.isSameChannel(as: visit.source))
    }

    static func apply(_ event: FoldedEvent, to visit: inout Visit, extendingEnd: Bool) {
        if extendingEnd { visit.endedAt = max(visit.endedAt, event.timestamp) }
        switch event.type {
        case .pageview:
            visit.pages.append(VisitPage(path: event.path, viewedAt: event.timestamp, pageLoadID: event.pageLoadID))
        case .engagement:
            let engaged = event.engagedMs
            if let index = visit.pages.lastIndex(where: { !event.pageLoadID.isEmpty && $0.pageLoadID == event.pageLoadID }) {
                let previous = visit.pages[index].engagedMs
                visit.pages[index].engagedMs = max(previous, engaged)
                visit.pages[index].maxScrollPercent = max(visit.pages[index].maxScrollPercent, event.maxScrollPercent)
                visit.engagedMs += max(0, engaged - previous)
            } else {
                visit.engagedMs += engaged
            }
            visit.maxScrollPercent = max(visit.maxScrollPercent, event.maxScrollPercent)
        case .click:
            visit.clicks += 1
        case .custom:
            visit.customEvents += 1
        case .geo:
            // A consented reading's place (set at ingest) is the visit's location from now on.
            guard let place = event.context?.network else { return }
            visit.network.country = place.country
            visit.network.region = place.region
            visit.network.city = place.city
        }
    }
}
