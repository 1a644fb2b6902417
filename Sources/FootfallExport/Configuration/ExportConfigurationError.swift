/// A sink that cannot run as configured (`footfall export` exits 2), worded for the CLI.
/// Never carries a secret's value.
public enum ExportConfigurationError: Error, Equatable, CustomStringConvertible {
    case unknownKind(String)
    case missingSetting(kind: String, setting: String)
    case invalidSetting(setting: String, value: String, expected: String)
    case missingSecret(source: String)
    case secretFileTooOpen(path: String)
    case unknownSink(String)
    case locked(String)

    public var description: String {
        switch self {
        case .unknownKind(let kind):
            "unknown sink kind '\(kind)' (known: \(SinkKind.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .missingSetting(let kind, "token_env"): "a \(kind) sink needs --token-env VAR or --token-file FILE (mode 0600)"
        case .missingSetting(let kind, let setting): "a \(kind) sink needs --\(setting.replacingOccurrences(of: "_", with: "-"))"
        case .invalidSetting(let setting, let value, let expected): "invalid \(setting) '\(value)': expected \(expected)"
        case .missingSecret(let source): "secret not found: \(source)"
        case .secretFileTooOpen(let path): "secret file \(path) must be readable by its owner only (chmod 600)"
        case .unknownSink(let name): "no sink named '\(name)' (see `footfall sink list`)"
        case .locked(let name): "another export of sink '\(name)' is running"
        }
    }
}
