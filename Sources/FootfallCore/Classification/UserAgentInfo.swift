/// Browser, OS and device class derived from a User-Agent string.
public struct UserAgentInfo: Sendable, Hashable, Codable {
    public var browser: String
    public var browserVersion: String
    public var os: String
    public var osVersion: String
    public var device: DeviceClass
    public var isBot: Bool

    public static let unknown = UserAgentInfo(
        browser: "Other", browserVersion: "", os: "Other", osVersion: "", device: .other, isBot: false)

    public init(browser: String, browserVersion: String, os: String, osVersion: String, device: DeviceClass, isBot: Bool) {
        self.browser = browser
        self.browserVersion = browserVersion
        self.os = os
        self.osVersion = osVersion
        self.device = device
        self.isBot = isBot
    }
}

/// Device class of a visit.
public enum DeviceClass: String, Codable, Sendable, CaseIterable {
    case desktop, mobile, tablet, bot, other
}

extension UserAgentInfo {
    /// CSS screen sizes (short side, long side) of iPads; no Mac display reports these.
    static let iPadScreens: Set<[Int]> = [
        [768, 1024], [810, 1080], [820, 1180], [834, 1112], [834, 1194], [834, 1210], [744, 1133],
        [1024, 1366], [1032, 1376],
    ]

    /// Corrects a desktop-mode iPad: since iPadOS 13, Safari on iPad sends a macOS UA by default,
    /// so only the screen the tracker reports tells it apart from a Mac.
    /// - Parameter screen: the screen size the tracker sent (zero when unknown).
    /// - Returns: the info as iPadOS/tablet when the screen is an iPad's, else unchanged.
    public func adjusted(for screen: ScreenSize) -> UserAgentInfo {
        guard !isBot, os == "macOS", browser == "Safari",
              Self.iPadScreens.contains([min(screen.width, screen.height), max(screen.width, screen.height)]) else {
            return self
        }
        var info = self
        info.os = "iPadOS"
        info.osVersion = ""
        info.device = .tablet
        return info
    }
}
