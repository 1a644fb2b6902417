/// Browser, OS and device class derived from a User-Agent string.
public struct UserAgentInfo: Sendable, Equatable, Codable {
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
