import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where imported IP data lives: files under `<data>/ipdata/`, one per source.
///
/// ```
/// ipdata/mmdb/NAME.mmdb          MaxMind DB files (ASN, ISP, geolocation …)
/// ipdata/csv/NAME.csv            iptoasn / RIR range files
/// ipdata/custom/tenant-ID.csv    a tenant's own ranges
/// ipdata/generation              changes on every install; the server polls it
/// ```
///
/// ``install(_:format:tenantID:name:)`` validates a file completely before it touches the
/// directory, then writes a temporary file, fsyncs it and renames it over the old source,
/// so a running server sees either the old or the new file, never a partial one.
public struct IPDataDirectory: Sendable {
    /// The kinds of file `footfall import-ip-data` accepts.
    public enum Format: String, Sendable, CaseIterable {
        case mmdb, csv, custom
    }

    /// What an install put where.
    public struct Installed: Sendable {
        public var format: Format
        public var path: String
        /// Ranges after flattening (text formats) or search-tree nodes (MMDB).
        public var size: Int
        /// The MMDB `database_type`, empty for text formats.
        public var databaseType: String
    }

    public let root: String

    /// - Parameter root: the `ipdata` directory (created on first install).
    public init(root: String) {
        self.root = root
    }

    /// The directory inside a Footfall data directory.
    public init(dataDirectory: String) {
        self.init(root: dataDirectory + "/ipdata")
    }

    var generationPath: String { root + "/generation" }

    /// The current generation marker; empty before the first install.
    public func generation() -> String {
        (try? String(contentsOfFile: generationPath, encoding: .utf8)) ?? ""
    }

    /// Files of each kind, sorted by name (the order in which their answers are preferred).
    func files(_ format: Format) -> [String] {
        let directory = root + "/" + format.rawValue
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0.hasSuffix(format == .mmdb ? ".mmdb" : ".csv") }
            .sorted().map { directory + "/" + $0 }
    }

    /// Path of a tenant's custom-range file.
    func customPath(tenantID: Int64) -> String { root + "/custom/tenant-\(tenantID).csv" }

    /// The format `path` most likely has: `.mmdb` files are MMDB, text files with a tenant
    /// are custom ranges, other text files are range CSVs.
    public static func guessFormat(path: String, tenant: Bool) -> Format {
        if path.lowercased().hasSuffix(".mmdb") { return .mmdb }
        return tenant ? .custom : .csv
    }

    /// Validates `file` and installs it as a source, replacing one of the same name.
    /// - Parameters:
    ///   - file: the file to import.
    ///   - format: its format.
    ///   - tenantID: the owning tenant; required for (and only for) custom ranges.
    ///   - name: the source name for MMDB and CSV files (default: the file's base name).
    public func install(_ file: String, format: Format, tenantID: Int64?, name: String? = nil) throws(IPDataError) -> Installed {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw .io(file: file, reason: "cannot read: \(error.localizedDescription)")
        }
        let base = name ?? Self.baseName(of: file)
        guard base.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }), !base.hasPrefix(".") else {
            throw .io(file: file, reason: "source name '\(base)' may contain only letters, digits, '-', '_' and '.'")
        }
        switch format {
        case .custom:
            guard let tenantID else { throw .tenantRequired }
            let table = try RangeFileParser.parseCustom(bytes, file: file)
            try replace(customPath(tenantID: tenantID), with: bytes)
            return Installed(format: format, path: customPath(tenantID: tenantID), size: table.rangeCount, databaseType: "")
        case .csv:
            let table = try RangeFileParser.parseCSV(bytes, file: file)
            let path = root + "/csv/\(base).csv"
            try replace(path, with: bytes)
            return Installed(format: format, path: path, size: table.rangeCount, databaseType: "")
        case .mmdb:
            let path = root + "/mmdb/\(base).mmdb"
            var nodes = 0
            var type = ""
            try replace(path, with: bytes) { (temporary) throws(IPDataError) in
                // libmaxminddb opens files by path, so the copy is checked before the rename.
                do throws(IPDataError) {
                    let database = try MaxMindDatabase(path: temporary)
                    try database.verify()
                    nodes = database.nodeCount
                    type = database.databaseType
                } catch {
                    throw Self.renaming(error, from: temporary, to: file)
                }
            }
            return Installed(format: format, path: path, size: nodes, databaseType: type)
        }
    }

    static func baseName(of file: String) -> String {
        var name = URL(fileURLWithPath: file).lastPathComponent
        for suffix in [".mmdb", ".csv", ".tsv", ".txt"] where name.lowercased().hasSuffix(suffix) {
            name.removeLast(suffix.count)
        }
        return name
    }

    static func renaming(_ error: IPDataError, from temporary: String, to file: String) -> IPDataError {
        if case .invalidDatabase(_, let offset, let reason) = error {
            return .invalidDatabase(file: file, offset: offset, reason: reason)
        }
        return error
    }

    /// Writes `bytes` to a temporary file beside `path`, fsyncs it, lets `check` inspect it,
    /// renames it into place, fsyncs the directory and announces a new generation.
    func replace(_ path: String, with bytes: [UInt8], check: (String) throws(IPDataError) -> Void = { _ in }) throws(IPDataError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(file: directory, reason: "cannot create directory: \(error.localizedDescription)")
        }
        let temporary = directory + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        try Self.writeSynced(temporary, bytes)
        do {
            try check(temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .io(file: path, reason: "cannot rename into place: \(reason)")
        }
        Self.syncDirectory(directory)
        let marker = "\(Date().timeIntervalSince1970) \(getpid()) \(UInt64.random(in: 0...UInt64.max))\n"
        let generationTemporary = root + "/.generation.\(getpid()).tmp"
        try Self.writeSynced(generationTemporary, Array(marker.utf8))
        guard rename(generationTemporary, generationPath) == 0 else {
            throw .io(file: generationPath, reason: "cannot update: \(String(cString: strerror(errno)))")
        }
        Self.syncDirectory(root)
    }

    static func writeSynced(_ path: String, _ bytes: [UInt8]) throws(IPDataError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw .io(file: path, reason: "cannot create: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            guard result > 0 else {
                let reason = String(cString: strerror(errno))
                unlink(path)
                throw .io(file: path, reason: "cannot write: \(reason)")
            }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw .io(file: path, reason: "fsync failed: \(String(cString: strerror(errno)))") }
    }

    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
