/// Holds one copy of each distinct context part, page path and referrer among the events the
/// live ``Sessionizer`` holds and the visits it keeps open, so what many visitors share is
/// held once.
///
/// A context held whole was 288 bytes of heap, and a visitor who goes past its landing page
/// holds two (the landing source, then the internal one), most of it the same browser and
/// network. Interned, a context is 48 bytes, and its parts are shared: a browser build by
/// everyone using it, the internal source by every visitor of the site, a network by the
/// visitors behind one stored (truncated) address. A page's path and a referrer URL are
/// likewise one string for every visit that holds them.
struct Interner: Sendable {
    private var userAgents = InternTable<UserAgentInfo>()
    private var sources = InternTable<TrafficSource>()
    private var networks = InternTable<NetworkInfo>()
    /// Paths and referrers seen since the last ``releaseUnused()``. A string's holders cannot
    /// be counted, so the set is emptied there: a text seen again after it is held once more.
    private var texts: Set<String> = []

    /// A new context for what `event` says, from shared parts.
    mutating func context(for event: Event) -> EventContext {
        EventContext(
            userAgent: userAgents.interned(event.userAgent), source: sources.interned(event.source),
            network: networks.interned(event.network))
    }

    /// `text`, or an equal string seen before (sharing its storage).
    mutating func text(_ text: String) -> String {
        // Swift keeps up to 15 UTF-8 bytes inline, with nothing to share.
        guard text.utf8.count > 15 else { return text }
        if let index = texts.firstIndex(of: text) { return texts[index] }
        texts.insert(text)
        return text
    }

    /// Forgets the context parts no context holds any more, and the texts seen.
    mutating func releaseUnused() {
        userAgents.releaseUnused()
        sources.releaseUnused()
        networks.releaseUnused()
        texts.removeAll(keepingCapacity: true)
    }

    /// Number of distinct context parts held.
    var contextPartCount: Int { userAgents.count + sources.count + networks.count }
}
