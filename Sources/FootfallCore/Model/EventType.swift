/// The kinds of event the tracker sends.
public enum EventType: String, Codable, Sendable, CaseIterable {
    /// A page was shown: a full load or an SPA navigation.
    case pageview
    /// Engaged time and scroll depth for a page, sent when the page is left.
    case engagement
    /// A click on an outbound link, a download or a `data-footfall-event` element.
    case click
    /// A custom event sent through `footfall('event', name, props)`.
    case custom
    /// A consented geolocation reading.
    case geo
}
