import FootfallExport
import Foundation

/// The export's progress line on stderr, shown only when stderr is a terminal (never in
/// cron mail or logs), redrawn after every batch. The feed has no total, so it counts.
final class ExportProgress {
    let sink: String
    let enabled = isatty(STDERR_FILENO) == 1

    init(sink: String) {
        self.sink = sink
    }

    func show(_ summary: ExportSummary) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(
            "\r\u{1B}[2K\(sink): sent \(summary.sent), failed \(summary.failed), checkpoint \(summary.checkpoint)…".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
