import Foundation

/// Where a sink's secret (API token, webhook signing key) is read at run time: an
/// environment variable or a file only its owner can read. The secret's value is never
/// stored, printed or logged; only its source is.
public enum SinkSecret {
    /// Reads the secret named by `settings["token_env"]` or `settings["token_file"]`.
    /// - Throws: ``ExportConfigurationError`` when neither is set, the variable is empty,
    ///   or the file is missing, empty or readable by group or others.
    public static func read(settings: [String: String], environment: [String: String], kind: String) throws -> String {
        guard let value = try read(variable: settings["token_env"], file: settings["token_file"], environment: environment) else {
            throw ExportConfigurationError.missingSetting(kind: kind, setting: "token_env")
        }
        return value
    }

    /// Reads a secret from the environment variable `variable`, else from the file `file`;
    /// nil when neither is given.
    /// - Throws: ``ExportConfigurationError`` when the variable is unset or empty, or the file
    ///   is missing, empty or readable by group or others.
    public static func read(variable: String?, file: String?, environment: [String: String]) throws -> String? {
        if let variable {
            guard let value = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw ExportConfigurationError.missingSecret(source: "environment variable \(variable) is unset or empty")
            }
            return value
        }
        if let path = file {
            var info = stat()
            guard stat(path, &info) == 0, let data = FileManager.default.contents(atPath: path) else {
                throw ExportConfigurationError.missingSecret(source: "file \(path) does not exist or cannot be read")
            }
            guard info.st_mode & 0o077 == 0 else { throw ExportConfigurationError.secretFileTooOpen(path: path) }
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { throw ExportConfigurationError.missingSecret(source: "file \(path) is empty") }
            return value
        }
        return nil
    }
}
