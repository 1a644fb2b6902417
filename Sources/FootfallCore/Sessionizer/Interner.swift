/// Holds one copy of each distinct context part, page path and referrer among the events the
/// live ``Sessionizer`` holds and the visits it keeps open, so what many visitors share is
/// held once.
///
/// A context held whole was 288 bytes of heap, and a visitor who goes past its landing page
/// holds two (the landing source, then the internal one), most of it the same browser and
/// network. Interned, a context is 48 bytes, and its parts are shared: a browser build by
/// everyone using it, the internal source by every visitor of the site, a network by the
/// visitors behind one stored (truncated) address. A page's path and a referrer URL are
/// likewise one string for every visit that holds them, and held events hold its number
/// (1–3 bytes instead of the 20–100 of the text).
struct Interner: Sendable {
    private var userAgents = InternTable<UserAgentInfo>()
    private var sources = InternTable<TrafficSource>()
    private var networks = InternTable<NetworkInfo>()
    /// Paths and referrers by number (``HeldEvents`` holds the number), the empty text first.
    private var texts: [String] = [""]
    private var textNumbers: [String: UInt32] = ["": Self.emptyTextNumber]
    /// Numbers no text holds, to be given out again.
    private var freeTextNumbers: [UInt32] = []

    /// The number of the empty text.
    static let emptyTextNumber: UInt32 = 0

    /// A new context for what `event` says, from shared parts.
    mutating func context(for event: Event) -> EventContext {
        EventContext(
            userAgent: userAgents.interned(event.userAgent), source: sources.interned(event.source),
            network: networks.interned(event.network))
    }

    /// The number of `text` (a page path or referrer), given on its first use.
    mutating func textNumber(_ text: String) -> UInt32 {
        guard !text.isEmpty else { return Self.emptyTextNumber }  // most beacons: no hashing
        if let number = textNumbers[text] { return number }
        let number: UInt32
        if let free = freeTextNumbers.popLast() {
            number = free
            texts[Int(number)] = text
        } else {
            number = UInt32(texts.count)
            texts.append(text)
        }
        textNumbers[text] = number
        return number
    }

    /// The text numbered `number` by ``textNumber(_:)`` (and not released since).
    func text(_ number: UInt32) -> String { texts[Int(number)] }

    /// One more than the highest text number given out: the size of the `used` array
    /// ``releaseUnused(keepingTexts:)`` takes.
    var textNumberLimit: Int { texts.count }

    /// Forgets the context parts no context holds any more, and the texts not marked used.
    /// - Parameter used: indexed by text number, true for those still held
    ///   (``HeldEvents/markTexts(_:)`` of every visitor's events).
    mutating func releaseUnused(keepingTexts used: [Bool]) {
        userAgents.releaseUnused()
        sources.releaseUnused()
        networks.releaseUnused()
        for number in 1..<texts.count where !used[number] && !texts[number].isEmpty {
            textNumbers[texts[number]] = nil
            texts[number] = ""
            freeTextNumbers.append(UInt32(number))
        }
    }

    /// Number of distinct context parts held.
    var contextPartCount: Int { userAgents.count + sources.count + networks.count }
}
