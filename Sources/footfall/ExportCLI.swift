import ArgumentParser
import FootfallExport
import FootfallStore
import Foundation

/// How export commands report to the terminal: configuration errors exit 2 with one line
/// on stderr (the documented exit code for cron jobs to alert on).
enum ExportCLI {
    static func exitingOnConfigurationError<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ExportConfigurationError {
            printError(error.description)
            throw ExitCode(2)
        } catch let error as CatalogError {
            printError(error.description)
            throw ExitCode(2)
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }
}
