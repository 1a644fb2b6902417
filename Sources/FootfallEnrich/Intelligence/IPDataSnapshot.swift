import Foundation

/// Every installed IP-data source, loaded and immutable. Lookups hold a reference to one
/// snapshot for their whole duration, so a reload that swaps in a new snapshot never
/// changes data under a running lookup and closes the old files only once the last
/// lookup using them is done.
public final class IPDataSnapshot: Sendable {
    /// A named source of one layer.
    public struct Source<Data: Sendable>: Sendable {
        public let name: String
        public let data: Data
    }

    /// The directory generation this snapshot was loaded at.
    public let generation: String
    public let databases: [Source<MaxMindDatabase>]
    public let rangeFiles: [Source<IPRangeTable>]
    /// Custom ranges by tenant id.
    public let customRanges: [Int64: IPRangeTable]
    /// Files that could not be loaded (they were valid when installed; a disk fault or a
    /// hand edit broke them). The rest of the data is still used.
    public let problems: [IPDataError]

    public init(
        generation: String = "", databases: [Source<MaxMindDatabase>] = [], rangeFiles: [Source<IPRangeTable>] = [],
        customRanges: [Int64: IPRangeTable] = [:], problems: [IPDataError] = []
    ) {
        self.generation = generation
        self.databases = databases
        self.rangeFiles = rangeFiles
        self.customRanges = customRanges
        self.problems = problems
    }

    /// A snapshot with no data: every lookup answers unknown.
    public static let empty = IPDataSnapshot()

    /// Loads every source in `directory`.
    public static func load(_ directory: IPDataDirectory) -> IPDataSnapshot {
        let generation = directory.generation()
        var problems: [IPDataError] = []
        var databases: [Source<MaxMindDatabase>] = []
        for path in directory.files(.mmdb) {
            do {
                databases.append(Source(name: sourceName(path), data: try MaxMindDatabase(path: path)))
            } catch {
                problems.append(error)
            }
        }
        var rangeFiles: [Source<IPRangeTable>] = []
        var customRanges: [Int64: IPRangeTable] = [:]
        for path in directory.files(.csv) + directory.files(.custom) {
            do {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                let name = sourceName(path)
                if path.hasPrefix(directory.root + "/custom/") {
                    guard name.hasPrefix("tenant-"), let tenantID = Int64(name.dropFirst("tenant-".count)) else { continue }
                    customRanges[tenantID] = try RangeFileParser.parseCustom(bytes, file: path)
                } else {
                    rangeFiles.append(Source(name: name, data: try RangeFileParser.parseCSV(bytes, file: path)))
                }
            } catch let error as IPDataError {
                problems.append(error)
            } catch {
                problems.append(.io(file: path, reason: error.localizedDescription))
            }
        }
        return IPDataSnapshot(
            generation: generation, databases: databases, rangeFiles: rangeFiles, customRanges: customRanges,
            problems: problems)
    }

    static func sourceName(_ path: String) -> String {
        IPDataDirectory.baseName(of: path)
    }
}
