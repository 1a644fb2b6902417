import FootfallEnrich
import Foundation

/// IP data for `footfall serve --demo`: the repository's fixture databases
/// (`Fixtures/ipintel`), installed on first start so the demo shows organisations. The
/// demo tenant gets a custom range naming loopback visitors, since demo beacons come from
/// 127.0.0.1.
public enum DemoIPData {
    /// The fixtures inside a checkout of the repository.
    public static let fixtureDirectory = "Fixtures/ipintel"

    /// The fixture directory: under the working directory (`make serve` runs from the
    /// repository root), else under the checkout the running binary was built in
    /// (`<repo>/.build/<triple>/release/footfall`); nil when neither has it.
    public static func locateFixtures(executable: String = CommandLine.arguments[0]) -> String? {
        var candidates = [fixtureDirectory]
        var directory = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory.appendingPathComponent(fixtureDirectory).path)
            directory.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/asn.mmdb") }
    }

    /// Installs the fixtures when no IP data is installed yet.
    /// - Returns: the installed paths; empty when data existed.
    public static func installIfEmpty(into directory: IPDataDirectory, tenantID: Int64, fixtures: String) throws -> [String] {
        guard directory.generation().isEmpty else { return [] }
        let sources: [(String, IPDataDirectory.Format, Int64?)] = [
            ("asn.mmdb", .mmdb, nil), ("city.mmdb", .mmdb, nil), ("ip2asn.csv", .csv, nil),
            ("custom-demo.csv", .custom, tenantID),
        ]
        return try sources.map { file, format, tenant in
            try directory.install(fixtures + "/" + file, format: format, tenantID: tenant).path
        }
    }
}
