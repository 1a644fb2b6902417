import FootfallEnrich
import Foundation

/// IP data for `footfall serve --demo`: the repository's fixture databases
/// (`Fixtures/ipintel`), installed on first start so the demo shows organisations. The
/// demo tenant gets a custom range naming loopback visitors, since demo beacons come from
/// 127.0.0.1.
public enum DemoIPData {
    /// Where `make serve` (run from the repository root) finds the fixtures.
    public static let fixtureDirectory = "Fixtures/ipintel"

    /// Installs the fixtures when no IP data is installed yet.
    /// - Returns: the installed paths; empty when data existed or no fixtures were found.
    public static func installIfEmpty(
        into directory: IPDataDirectory, tenantID: Int64, fixtures: String = fixtureDirectory
    ) throws -> [String] {
        guard directory.generation().isEmpty, FileManager.default.fileExists(atPath: fixtures + "/asn.mmdb") else { return [] }
        let sources: [(String, IPDataDirectory.Format, Int64?)] = [
            ("asn.mmdb", .mmdb, nil), ("city.mmdb", .mmdb, nil), ("ip2asn.csv", .csv, nil),
            ("custom-demo.csv", .custom, tenantID),
        ]
        return try sources.map { file, format, tenant in
            try directory.install(fixtures + "/" + file, format: format, tenantID: tenant).path
        }
    }
}
