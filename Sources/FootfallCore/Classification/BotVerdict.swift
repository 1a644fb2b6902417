/// Why a beacon is treated as automated traffic, and the bot family it is counted under.
public struct BotVerdict: Sendable, Equatable {
    /// The signal that gave the bot away.
    public enum Signal: String, Sendable, CaseIterable {
        /// A crawler, monitor, preview fetcher, headless browser or HTTP library User-Agent.
        case userAgent = "user_agent"
        /// The tracker saw `navigator.webdriver` (Selenium, Puppeteer, Playwright…).
        case webdriver
        /// The request came from a hosting / data-centre network.
        case datacenter
        /// One visitor loaded pages faster than a person can (see ``PageviewPace``).
        case impossibleTiming = "impossible_timing"
    }

    public var signal: Signal
    /// Name bot traffic is counted under: the UA's bot name ("Googlebot", "curl"), or the signal's.
    public var family: String

    public init(signal: Signal, family: String) {
        self.signal = signal
        self.family = family
    }

    /// The verdict from what is known about a request before pacing, or nil for a person.
    ///
    /// The User-Agent wins (it names the bot); then `navigator.webdriver`; then a data-centre
    /// network, which browsers of real visitors almost never come from.
    /// - Parameters:
    ///   - userAgent: the classified User-Agent.
    ///   - webdriver: any event of the beacon reported `navigator.webdriver`.
    ///   - networkType: the IP's network type (`.unknown` until IP intelligence knows it).
    public static func judge(userAgent: UserAgentInfo, webdriver: Bool, networkType: NetworkType) -> BotVerdict? {
        if userAgent.isBot { return BotVerdict(signal: .userAgent, family: userAgent.browser) }
        if webdriver { return BotVerdict(signal: .webdriver, family: "WebDriver " + userAgent.browser) }
        if networkType == .hosting { return BotVerdict(signal: .datacenter, family: "Data centre " + userAgent.browser) }
        return nil
    }
}
